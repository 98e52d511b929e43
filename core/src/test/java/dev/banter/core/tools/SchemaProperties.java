package dev.banter.core.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Values of generated records serialize to JSON their own schema accepts, and read back equal. */
class SchemaProperties {
  enum Tag { NEW, SALE, FRAGILE }

  record Item(String name, int quantity, Optional<BigDecimal> price, Set<Tag> tags, long[] codes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Item i && name.equals(i.name) && quantity == i.quantity && price.map(BigDecimal::stripTrailingZeros).equals(i.price.map(BigDecimal::stripTrailingZeros))
          && tags.equals(i.tags) && java.util.Arrays.equals(codes, i.codes);
    }

    @Override
    public int hashCode() {
      return name.hashCode();
    }
  }

  record Order(String id, List<Item> items, Map<String, Integer> counts, Optional<Order> parent, boolean paid,
      double total, Tag mainTag, Character grade) {}

  @Property(tries = 200)
  void a_value_validates_against_its_own_schema_and_reads_back_equal(@ForAll("orders") Order order) throws Exception {
    JsonNode json = ToolJson.MAPPER.valueToTree(order);
    assertEquals(List.of(), SchemaValidator.validate(JsonSchemas.tree(JsonSchemas.of(Order.class)), json),
        () -> "lenient schema, value " + json);
    assertEquals(List.of(), SchemaValidator.validate(JsonSchemas.tree(JsonSchemas.strict(Order.class)), json),
        () -> "strict schema, value " + json);
    assertEquals(order, ToolJson.MAPPER.treeToValue(json, Order.class));
  }

  @Property(tries = 100)
  void dropping_a_required_property_is_reported_by_its_path(@ForAll("orders") Order order,
      @ForAll("requiredOfOrder") String dropped) {
    ObjectNode json = ToolJson.MAPPER.valueToTree(order);
    json.remove(dropped);
    List<String> problems = SchemaValidator.validate(JsonSchemas.tree(JsonSchemas.strict(Order.class)), json);
    assertTrue(problems.contains("$." + dropped + ": required property missing"), problems::toString);
  }

  @Provide
  Arbitrary<String> requiredOfOrder() {
    List<String> names = new ArrayList<>();
    JsonSchemas.tree(JsonSchemas.strict(Order.class)).get("required").forEach(n -> names.add(n.asText()));
    return Arbitraries.of(names);
  }

  @Provide
  Arbitrary<Order> orders() {
    return orders(2);
  }

  private static Arbitrary<String> text() {
    // No lone surrogates: JSON text is Unicode, and they would not survive the round trip.
    return Arbitraries.strings().withCharRange('\u0000', '\uD7FF').ofMaxLength(12);
  }

  private static Arbitrary<Item> items() {
    Arbitrary<Optional<BigDecimal>> price = Arbitraries.bigDecimals().ofScale(2).optional();
    Arbitrary<long[]> codes = Arbitraries.longs().array(long[].class).ofMaxSize(3);
    return Combinators.combine(text(), Arbitraries.integers(), price, Arbitraries.of(Tag.class).set(), codes)
        .as(Item::new);
  }

  private static Arbitrary<Order> orders(int depth) {
    Arbitrary<Optional<Order>> parent = depth == 0 ? Arbitraries.just(Optional.empty()) : orders(depth - 1).optional();
    Arbitrary<Double> total = Arbitraries.doubles().between(-1e12, 1e12);
    Arbitrary<Character> grade = Arbitraries.chars().range('A', 'F').injectNull(0.2);
    return Combinators.combine(text(), items().list().ofMaxSize(3), Arbitraries.maps(text(), Arbitraries.integers())
            .ofMaxSize(3), parent, Arbitraries.of(true, false), total, Arbitraries.of(Tag.class), grade)
        .as((id, items, counts, p, paid, t, tag, g) -> new Order(id, items, counts, p, paid, t, tag, g == null ? 'A' : g));
  }
}
