package com.storeops.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.storeops.batch.BatchUpdateRequest.CompareAtMode;
import com.storeops.batch.BatchUpdateRequest.InventoryMode;
import com.storeops.batch.BatchUpdateRequest.PriceMode;
import com.storeops.catalog.ProductStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

/** Binding a batch request: what it reads, and every mistake named by its JSON path. */
class BatchRequestsTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void readsEveryCriterionAndEveryKindOfChange() {
    BatchUpdateRequest r = read("""
        {"filter": {"handles": [" a "], "skus": ["s"], "vendor": " V ", "productType": "t", "tag": "x", "status": "DRAFT",
                    "updatedBefore": "2026-01-31T00:00:00Z"},
         "changes": {"price": {"percent": "-10.5"}, "compareAtPrice": {"clear": true}, "tags": {"add": ["sale"]},
                     "status": {"set": "Archived"}, "inventory": {"add": -2}},
         "dryRun": true, "pushToShopify": false}""");

    assertThat(r.filter().handles()).containsExactly("a");
    assertThat(r.filter().vendor()).isEqualTo("V");
    assertThat(r.filter().status()).isEqualTo(ProductStatus.DRAFT);
    assertThat(r.filter().updatedBefore()).isEqualTo(Instant.parse("2026-01-31T00:00:00Z"));
    assertThat(r.changes().price().mode()).isEqualTo(PriceMode.PERCENT);
    assertThat(r.changes().price().amount()).isEqualByComparingTo("-10.5");
    assertThat(r.changes().compareAtPrice().mode()).isEqualTo(CompareAtMode.CLEAR);
    assertThat(r.changes().tags().add()).containsExactly("sale");
    assertThat(r.changes().tags().remove()).isEmpty();
    assertThat(r.changes().status().set().stored()).isEqualTo("archived");
    assertThat(r.changes().inventory().mode()).isEqualTo(InventoryMode.ADD);
    assertThat(r.changes().inventory().amount()).isEqualTo(-2);
    assertThat(r.dryRun()).isTrue();
    assertThat(r.pushToShopify()).isFalse();
  }

  @Test
  void absentFlagsAndNullsAreFalseAndAllIsAFilter() {
    BatchUpdateRequest r = read("""
        {"filter": {"all": true, "vendor": null}, "changes": {"price": {"set": 5}}, "dryRun": null}""");

    assertThat(r.filter().all()).isTrue();
    assertThat(r.filter().handles()).isEmpty();
    assertThat(r.dryRun()).isFalse();
    assertThat(r.pushToShopify()).isFalse();
    assertThat(r.changes().price().mode()).isEqualTo(PriceMode.SET);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      {"filter": {"vendor": "v"}, "changes": {"prise": {"set": 1}}}               | changes.prise               | unknown field; expected one of compareAtPrice, inventory, price, status, tags
      {"filter": {"vendor": "v"}, "changes": {}}                                  | changes                     | required: at least one of price, compareAtPrice, tags, status, inventory
      {"filter": {"vendor": "v"}}                                                 | changes                     | required: at least one of price, compareAtPrice, tags, status, inventory
      {"filter": {"vendor": "v"}, "changes": {"price": {"set": 1, "percent": 5}}} | changes.price               | give exactly one of add, percent, set: conflicting changes to one field
      {"filter": {"vendor": "v"}, "changes": {"price": {}}}                       | changes.price               | give exactly one of add, percent, set
      {"filter": {"vendor": "v"}, "changes": {"price": {"double": 2}}}            | changes.price.double        | unknown field; expected one of add, percent, set
      {"filter": {"vendor": "v"}, "changes": {"price": {"set": "cheap"}}}         | changes.price.set           | must be a number
      {"filter": {"vendor": "v"}, "changes": {"price": {"set": true}}}            | changes.price.set           | must be a number
      {"filter": {"vendor": "v"}, "changes": {"price": {"set": -1}}}              | changes.price.set           | must not be negative
      {"filter": {"vendor": "v"}, "changes": {"price": {"percent": -101}}}        | changes.price.percent       | below -100 % every price would be negative
      {"filter": {"vendor": "v"}, "changes": {"price": 5}}                        | changes.price               | must be a JSON object
      {"filter": {"vendor": "v"}, "changes": {"compareAtPrice": {"clear": false}}} | changes.compareAtPrice.clear | must be true
      {"filter": {"vendor": "v"}, "changes": {"compareAtPrice": {"clear": "yes"}}} | changes.compareAtPrice.clear | must be true or false
      {"filter": {"vendor": "v"}, "changes": {"inventory": {"set": 3.5}}}         | changes.inventory.set       | must be a whole number
      {"filter": {"vendor": "v"}, "changes": {"inventory": {"add": "3"}}}         | changes.inventory.add       | must be a whole number
      {"filter": {"vendor": "v"}, "changes": {"inventory": {"add": 1e12}}}        | changes.inventory.add       | must be a whole number
      {"filter": {"vendor": "v"}, "changes": {"status": {"set": "sold"}}}         | changes.status.set          | unknown status; expected active, draft, archived or unlisted
      {"filter": {"vendor": "v"}, "changes": {"status": {"set": 3}}}              | changes.status.set          | unknown status; expected active, draft, archived or unlisted
      {"filter": {"vendor": "v"}, "changes": {"status": {}}}                      | changes.status.set          | required: active, draft, archived or unlisted
      {"filter": {"vendor": "v"}, "changes": {"tags": {"add": ["x"], "remove": ["x"]}}} | changes.tags          | 'x' is both added and removed
      {"filter": {"vendor": "v"}, "changes": {"tags": {}}}                        | changes.tags                | give tags to add or to remove
      {"filter": {"vendor": "v"}, "changes": {"tags": {"add": "x"}}}              | changes.tags.add            | must be a list of non-empty strings
      {"filter": {"vendor": "v"}, "changes": {"tags": {"add": [" "]}}}            | changes.tags.add            | must be a list of non-empty strings
      {"filter": {"vendor": "v"}, "changes": {"tags": {"add": [7]}}}              | changes.tags.add            | must be a list of non-empty strings
      {"changes": {"status": {"set": "draft"}}}                                   | filter                      | required: an object with handles, skus, vendor, productType, tag, status, updatedBefore, or "all": true
      {"filter": "everything", "changes": {"status": {"set": "draft"}}}           | filter                      | must be a JSON object
      {"filter": {}, "changes": {"status": {"set": "draft"}}}                     | filter                      | give at least one criterion, or "all": true to change every product
      {"filter": {"all": true, "tag": "x"}, "changes": {"status": {"set": "draft"}}} | filter.all               | "all" cannot be combined with other criteria
      {"filter": {"all": "yes"}, "changes": {"status": {"set": "draft"}}}         | filter.all                  | must be true or false
      {"filter": {"colour": "red"}, "changes": {"status": {"set": "draft"}}}      | filter.colour               | unknown field; expected one of all, handles, productType, skus, status, tag, updatedBefore, vendor
      {"filter": {"vendor": 5}, "changes": {"status": {"set": "draft"}}}          | filter.vendor               | must be a non-empty string
      {"filter": {"vendor": " "}, "changes": {"status": {"set": "draft"}}}        | filter.vendor               | must be a non-empty string
      {"filter": {"status": "gone"}, "changes": {"status": {"set": "draft"}}}     | filter.status               | unknown status; expected active, draft, archived or unlisted
      {"filter": {"updatedBefore": "yesterday"}, "changes": {"status": {"set": "draft"}}} | filter.updatedBefore | must be an ISO-8601 instant, e.g. 2026-01-31T00:00:00Z
      {"filter": {"updatedBefore": 1700000000}, "changes": {"status": {"set": "draft"}}} | filter.updatedBefore | must be an ISO-8601 instant, e.g. 2026-01-31T00:00:00Z
      {"filter": {"vendor": "v"}, "changes": {"status": {"set": "draft"}}, "dryRun": "true"} | dryRun           | must be true or false
      {"filter": {"vendor": "v"}, "changes": {"status": {"set": "draft"}}, "pushToShopify": 1} | pushToShopify  | must be true or false
      {"filter": {"vendor": "v"}, "changes": {"status": {"set": "draft"}}, "force": true} | force               | unknown field; expected one of changes, dryRun, filter, pushToShopify
      """)
  void aMistakeIsNamedByItsJsonPath(String body, String field, String reason) {
    BatchRequestException e = catchThrowableOfType(BatchRequestException.class, () -> read(body));

    assertThat(e).as(body).isNotNull();
    assertThat(e.field()).as(body).isEqualTo(field);
    assertThat(e.getMessage()).as(body).isEqualTo(reason);
  }

  @Test
  void aBodyThatIsNotAnObjectIsRefused() {
    for (String body : List.of("[]", "5", "\"x\"")) {
      assertThat(catchThrowableOfType(BatchRequestException.class, () -> read(body)).field()).isEqualTo("body");
    }
  }

  private static BatchUpdateRequest read(String body) {
    return BatchRequests.read(JSON.readTree(body));
  }
}
