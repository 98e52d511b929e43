package dev.banter.core.tools;

import static dev.banter.core.tools.JsonSchemasTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SchemaValidatorTest {
  record Address(String street, @Range(min = 1) int number) {}

  record Person(String name, Optional<Integer> age, List<Address> addresses, JsonSchemasTest.Unit unit) {}

  private static List<String> check(String schemaOf, String value) {
    JsonNode schema = json(schemaOf);
    return SchemaValidator.validate(schema, json(value));
  }

  @Test
  void a_matching_value_has_no_problems() {
    assertEquals(List.of(), check(JsonSchemas.of(Person.class),
        "{'name':'Ada','addresses':[{'street':'Main','number':3}],'unit':'CELSIUS'}"));
    assertEquals(List.of(), check(JsonSchemas.strict(Person.class),
        "{'name':'Ada','age':null,'addresses':[],'unit':'CELSIUS'}"));
  }

  @Test
  void problems_name_the_json_path_and_what_is_wrong() {
    assertEquals(List.of("$.name: required property missing",
            "$.addresses[0].number: expected integer, got the string \"3\"",
            "$.unit: the string \"KELVIN\" is not one of [\"CELSIUS\",\"FAHRENHEIT\"]",
            "$.extra: unknown property; allowed: name, age, addresses, unit"),
        check(JsonSchemas.of(Person.class),
            "{'addresses':[{'street':'Main','number':'3'}],'unit':'KELVIN','extra':1}"));
  }

  @Test
  void constraints_are_checked() {
    assertEquals(List.of("$.addresses[0].number: 0 is below the minimum 1"),
        check(JsonSchemas.of(Person.class), "{'name':'A','addresses':[{'street':'M','number':0}],'unit':'CELSIUS'}"));
  }

  @Test
  void a_strict_schema_wants_optional_properties_present_even_when_null() {
    assertEquals(List.of("$.age: required property missing"),
        check(JsonSchemas.strict(Person.class), "{'name':'A','addresses':[],'unit':'CELSIUS'}"));
  }

  @Test
  void a_whole_number_written_with_a_fraction_is_still_an_integer() {
    assertEquals(List.of(), check("{'type':'integer'}", "2.0"));
    assertEquals(List.of("$: expected integer, got the number 2.5"), check("{'type':'integer'}", "2.5"));
  }
}
