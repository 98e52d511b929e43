package dev.banter.core.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.banter.api.ToolSpec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JsonSchemasTest {
  /** JSON written with single quotes, for readable expectations. */
  static JsonNode json(String singleQuoted) {
    try {
      return ToolJson.MAPPER.readTree(singleQuoted.replace('\'', '"'));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static JsonNode schema(Class<?> type) {
    return json(JsonSchemas.of(type));
  }

  record Scalars(boolean flag, int count, long big, short s, byte b, Integer boxed, double ratio, float f,
      BigDecimal price, BigInteger huge, String name, char initial, UUID id) {}

  @Test
  void scalars_map_to_json_types_and_are_all_required() {
    assertEquals(json("{'type':'object','properties':{"
        + "'flag':{'type':'boolean'},'count':{'type':'integer'},'big':{'type':'integer'},'s':{'type':'integer'},"
        + "'b':{'type':'integer'},'boxed':{'type':'integer'},'ratio':{'type':'number'},'f':{'type':'number'},"
        + "'price':{'type':'number'},'huge':{'type':'integer'},'name':{'type':'string'},"
        + "'initial':{'type':'string','minLength':1,'maxLength':1},'id':{'type':'string','format':'uuid'}},"
        + "'required':['flag','count','big','s','b','boxed','ratio','f','price','huge','name','initial','id'],"
        + "'additionalProperties':false}"), schema(Scalars.class));
  }

  enum Unit { CELSIUS, FAHRENHEIT }

  enum Mood {
    @JsonProperty("happy") HAPPY,
    @JsonProperty("grumpy") GRUMPY
  }

  record WithEnums(Unit unit, Mood mood) {}

  @Test
  void enums_become_strings_listing_the_json_names_of_their_constants() {
    assertEquals(json("{'type':'object','properties':{"
        + "'unit':{'type':'string','enum':['CELSIUS','FAHRENHEIT']},"
        + "'mood':{'type':'string','enum':['happy','grumpy']}},"
        + "'required':['unit','mood'],'additionalProperties':false}"), schema(WithEnums.class));
  }

  record Collections(List<String> tags, Set<Unit> units, int[] scores, Map<String, Double> weights,
      List<List<Integer>> grid) {}

  @Test
  void lists_sets_arrays_and_string_maps_describe_their_items() {
    assertEquals(json("{'type':'object','properties':{"
        + "'tags':{'type':'array','items':{'type':'string'}},"
        + "'units':{'type':'array','items':{'type':'string','enum':['CELSIUS','FAHRENHEIT']},'uniqueItems':true},"
        + "'scores':{'type':'array','items':{'type':'integer'}},"
        + "'weights':{'type':'object','additionalProperties':{'type':'number'}},"
        + "'grid':{'type':'array','items':{'type':'array','items':{'type':'integer'}}}},"
        + "'required':['tags','units','scores','weights','grid'],'additionalProperties':false}"),
        schema(Collections.class));
  }

  record Maybe(String city, Optional<String> country, OptionalInt days, Optional<Unit> unit) {}

  @Test
  void optional_properties_are_left_out_of_required_and_may_be_null() {
    assertEquals(json("{'type':'object','properties':{"
        + "'city':{'type':'string'},'country':{'type':['string','null']},'days':{'type':['integer','null']},"
        + "'unit':{'type':['string','null'],'enum':['CELSIUS','FAHRENHEIT',null]}},"
        + "'required':['city'],'additionalProperties':false}"), schema(Maybe.class));
  }

  @Test
  void strict_schemas_require_every_property_and_let_optional_ones_be_null() {
    assertEquals(json("{'type':'object','properties':{"
        + "'city':{'type':'string'},'country':{'type':['string','null']},'days':{'type':['integer','null']},"
        + "'unit':{'type':['string','null'],'enum':['CELSIUS','FAHRENHEIT',null]}},"
        + "'required':['city','country','days','unit'],'additionalProperties':false}"),
        json(JsonSchemas.strict(Maybe.class)));
  }

  record Address(String street, String city) {}

  record Customer(String name, Address billing, List<Address> shipping, Optional<Address> previous) {}

  @Test
  void nested_records_are_defined_once_and_referenced() {
    assertEquals(json("{'type':'object','properties':{"
        + "'name':{'type':'string'},'billing':{'$ref':'#/$defs/Address'},"
        + "'shipping':{'type':'array','items':{'$ref':'#/$defs/Address'}},'previous':{'anyOf':[{'$ref':'#/$defs/Address'},{'type':'null'}]}},"
        + "'required':['name','billing','shipping'],'additionalProperties':false,"
        + "'$defs':{'Address':{'type':'object','properties':{'street':{'type':'string'},'city':{'type':'string'}},"
        + "'required':['street','city'],'additionalProperties':false}}}"), schema(Customer.class));
  }

  @Test
  void an_optional_reference_accepts_null_through_any_of_and_strict_requires_it() {
    JsonNode strict = json(JsonSchemas.strict(Customer.class));
    assertEquals(json("['name','billing','shipping','previous']"), strict.get("required"));
    JsonNode previous = strict.at("/properties/previous");
    assertEquals(json("{'anyOf':[{'$ref':'#/$defs/Address'},{'type':'null'}]}"), previous);
  }

  record TreeNode(String label, List<TreeNode> children) {}

  record Forest(String name, List<TreeNode> trees) {}

  @Test
  void a_recursive_root_refers_to_itself() {
    assertEquals(json("{'type':'object','properties':{'label':{'type':'string'},"
        + "'children':{'type':'array','items':{'$ref':'#'}}},"
        + "'required':['label','children'],'additionalProperties':false}"), schema(TreeNode.class));
  }

  @Test
  void a_recursive_nested_type_refers_to_its_own_definition() {
    assertEquals(json("{'type':'object','properties':{'name':{'type':'string'},"
        + "'trees':{'type':'array','items':{'$ref':'#/$defs/TreeNode'}}},"
        + "'required':['name','trees'],'additionalProperties':false,"
        + "'$defs':{'TreeNode':{'type':'object','properties':{'label':{'type':'string'},"
        + "'children':{'type':'array','items':{'$ref':'#/$defs/TreeNode'}}},"
        + "'required':['label','children'],'additionalProperties':false}}}"), schema(Forest.class));
  }

  static final class Other {
    record Address(int zip) {}
  }

  record TwoAddresses(Address home, Other.Address postal) {}

  @Test
  void two_types_with_one_simple_name_get_distinct_definitions() {
    JsonNode s = schema(TwoAddresses.class);
    assertEquals("#/$defs/Address", s.at("/properties/home/$ref").asText());
    assertEquals("#/$defs/Address2", s.at("/properties/postal/$ref").asText());
    assertEquals("integer", s.at("/$defs/Address2/properties/zip/type").asText());
  }

  @Description("A weather lookup")
  record Annotated(
      @Description("City name, e.g. Oslo") @Size(min = 1, max = 80) String city,
      @Range(min = 1, max = 14) int days,
      @Range(min = -0.5) double offset,
      @Pattern("^[A-Z]{2}$") String country,
      @Size(max = 3) List<String> tags,
      @JsonProperty("time_zone") String timeZone) {}

  @Test
  void descriptions_constraints_and_json_names_are_honoured() {
    assertEquals(json("{'type':'object','description':'A weather lookup','properties':{"
        + "'city':{'description':'City name, e.g. Oslo','type':'string','minLength':1,'maxLength':80},"
        + "'days':{'type':'integer','minimum':1,'maximum':14},"
        + "'offset':{'type':'number','minimum':-0.5},"
        + "'country':{'type':'string','pattern':'^[A-Z]{2}$'},"
        + "'tags':{'type':'array','items':{'type':'string'},'maxItems':3},"
        + "'time_zone':{'type':'string'}},"
        + "'required':['city','days','offset','country','tags','time_zone'],'additionalProperties':false}"),
        schema(Annotated.class));
  }

  /** A plain class as Jackson reads it: public fields and setters, a no-argument constructor. */
  static final class Plain {
    public String title;
    private int pages;
    @JsonIgnore
    public String secret;

    public int getPages() {
      return pages;
    }

    @Description("How many pages")
    public void setPages(int pages) {
      this.pages = pages;
    }
  }

  @Test
  void plain_classes_are_described_by_their_fields_and_setters() {
    assertEquals(json("{'type':'object','properties':{'title':{'type':'string'},"
        + "'pages':{'description':'How many pages','type':'integer'}},"
        + "'required':['title','pages'],'additionalProperties':false}"), schema(Plain.class));
  }

  record Untyped(Object anything) {}

  record NumberKeys(Map<Integer, String> byId) {}

  @Test
  void types_without_a_json_schema_are_refused_naming_the_property() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonSchemas.of(Untyped.class));
    assertTrue(e.getMessage().contains("Untyped.anything"), e.getMessage());
    assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
    IllegalArgumentException keys = assertThrows(IllegalArgumentException.class,
        () -> JsonSchemas.of(NumberKeys.class));
    assertTrue(keys.getMessage().contains("map keys must be String"), keys.getMessage());
  }

  @Test
  void schemas_are_cached_per_type() {
    assertSame(JsonSchemas.of(Customer.class), JsonSchemas.of(Customer.class));
  }

  record WeatherQuery(@Description("City name") String city) {}

  @Test
  void a_tool_spec_from_a_type_carries_its_schema() {
    ToolSpec spec = Tools.spec("get_weather", "Current weather", WeatherQuery.class);
    assertEquals("get_weather", spec.name());
    assertEquals(json("{'type':'object','properties':{'city':{'description':'City name','type':'string'}},"
        + "'required':['city'],'additionalProperties':false}"), json(spec.parametersSchema()));
  }

  @Test
  void a_tool_spec_needs_an_object_type() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Tools.spec("echo", "Echoes", String.class));
    assertTrue(e.getMessage().contains("record or class with properties"), e.getMessage());
  }
}
