package com.storeops.batch;

import com.storeops.batch.BatchUpdateRequest.Changes;
import com.storeops.batch.BatchUpdateRequest.CompareAtMode;
import com.storeops.batch.BatchUpdateRequest.Filter;
import com.storeops.batch.BatchUpdateRequest.PriceChange;
import com.storeops.batch.BatchUpdateRequest.PriceMode;
import com.storeops.batch.BatchUpdateRequest.TagChange;
import com.storeops.catalog.ProductStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.exc.ValueInstantiationException;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * Reads a {@link BatchUpdateRequest} from JSON and checks the rules types cannot say (one mode per
 * change, a criterion or {@code all}, no tag both added and removed, …). Every mistake is a
 * {@link BatchRequestException} naming its JSON path ({@code changes.price.set}).
 */
public final class BatchRequests {

  // Strict where Jackson is lenient by default: no unknown fields, no 3.7 read as 3, no "true" read
  // as true, no 5 read as "5" — each of those is the user's mistake, reported by its path.
  private static final JsonMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
      .withCoercionConfig(LogicalType.Boolean, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
      .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
      .addModule(new SimpleModule().addDeserializer(Instant.class, new IsoInstant()))
      .build();

  private BatchRequests() {}

  /** The request in {@code body}, checked; {@link BatchRequestException} naming the field when it cannot run. */
  public static BatchUpdateRequest read(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new BatchRequestException("body", "a JSON object with filter and changes is required");
    }
    BatchUpdateRequest bound;
    try {
      bound = JSON.treeToValue(body, BatchUpdateRequest.class);
    } catch (JacksonException e) {
      throw new BatchRequestException(field(e), reason(e));
    }
    return new BatchUpdateRequest(filter(bound.filter()), changes(bound.changes()), bound.dryRun(), bound.pushToShopify());
  }

  private static Filter filter(Filter f) {
    if (f == null) {
      throw new BatchRequestException("filter", "required: an object with handles, skus, vendor, productType, tag, status,"
          + " updatedBefore, or \"all\": true");
    }
    Filter filter = new Filter(f.all(), texts(f.handles(), "filter.handles"), texts(f.skus(), "filter.skus"),
        text(f.vendor(), "filter.vendor"), text(f.productType(), "filter.productType"), text(f.tag(), "filter.tag"), f.status(),
        f.updatedBefore());
    if (!filter.narrows() && !filter.all()) {
      throw new BatchRequestException("filter", "give at least one criterion, or \"all\": true to change every product");
    }
    if (filter.narrows() && filter.all()) {
      throw new BatchRequestException("filter.all", "\"all\" cannot be combined with other criteria");
    }
    return filter;
  }

  private static Changes changes(Changes c) {
    if (c == null || !c.touchesVariants() && !c.touchesProducts()) {
      throw new BatchRequestException("changes", "required: at least one of price, compareAtPrice, tags, status, inventory");
    }
    PriceChange price = c.price();
    if (price != null) {
      exactlyOne(price.given(), "changes.price", "add, percent, set");
      if (price.mode() == PriceMode.SET) {
        notNegative(price.set(), "changes.price.set");
      }
      if (price.mode() != PriceMode.PERCENT) {
        fitsAPrice(price.amount(), "changes.price." + price.mode().name().toLowerCase(java.util.Locale.ROOT));
      }
      if (price.mode() == PriceMode.PERCENT && price.percent().compareTo(BigDecimal.valueOf(-100)) < 0) {
        throw new BatchRequestException("changes.price.percent", "below -100 % every price would be negative");
      }
    }
    if (c.compareAtPrice() != null) {
      exactlyOne(c.compareAtPrice().given(), "changes.compareAtPrice", "clear, set");
      if (c.compareAtPrice().mode() == CompareAtMode.SET) {
        notNegative(c.compareAtPrice().set(), "changes.compareAtPrice.set");
        fitsAPrice(c.compareAtPrice().set(), "changes.compareAtPrice.set");
      } else if (!c.compareAtPrice().clear()) {
        throw new BatchRequestException("changes.compareAtPrice.clear", "must be true");
      }
    }
    if (c.inventory() != null) {
      exactlyOne(c.inventory().given(), "changes.inventory", "add, set");
    }
    if (c.status() != null && c.status().set() == null) {
      throw new BatchRequestException("changes.status.set", "required: active, draft, archived or unlisted");
    }
    return new Changes(price, c.compareAtPrice(), tags(c.tags()), c.status(), c.inventory());
  }

  private static TagChange tags(TagChange t) {
    if (t == null) {
      return null;
    }
    TagChange tags = new TagChange(texts(t.add(), "changes.tags.add"), texts(t.remove(), "changes.tags.remove"));
    if (tags.add().isEmpty() && tags.remove().isEmpty()) {
      throw new BatchRequestException("changes.tags", "give tags to add or to remove");
    }
    for (String tag : tags.add()) {
      if (tags.remove().contains(tag)) {
        throw new BatchRequestException("changes.tags", "'" + tag + "' is both added and removed");
      }
    }
    return tags;
  }

  private static void exactlyOne(long given, String path, String modes) {
    if (given != 1) {
      throw new BatchRequestException(path, "give exactly one of " + modes + (given > 1 ? ": conflicting changes to one field" : ""));
    }
  }

  /** A price column is numeric(12,2): an amount it cannot hold would fail every chunk it reaches. */
  private static void fitsAPrice(BigDecimal value, String path) {
    if (value.abs().compareTo(BatchUpdates.MAX_PRICE) > 0) {
      throw new BatchRequestException(path, "must be at most " + BatchUpdates.MAX_PRICE.toPlainString() + " in size");
    }
  }

  private static void notNegative(BigDecimal value, String path) {
    if (value.signum() < 0) {
      throw new BatchRequestException(path, "must not be negative");
    }
  }

  private static String text(String value, String path) {
    if (value != null && value.isBlank()) {
      throw new BatchRequestException(path, "must be a non-empty string");
    }
    return value == null ? null : value.strip();
  }

  private static List<String> texts(List<String> values, String path) {
    List<String> stripped = new ArrayList<>();
    for (String value : values) {
      if (value == null || value.isBlank()) {
        throw new BatchRequestException(path, "must be a list of non-empty strings");
      }
      stripped.add(value.strip());
    }
    return List.copyOf(stripped);
  }

  /** The JSON path of what Jackson could not bind, list indexes left out: {@code filter.handles}. */
  private static String field(JacksonException e) {
    List<String> names = e.getPath().stream().map(JacksonException.Reference::getPropertyName).filter(Objects::nonNull).toList();
    return names.isEmpty() ? "body" : String.join(".", names);
  }

  private static String reason(JacksonException e) {
    if (e instanceof UnrecognizedPropertyException unknown) {
      return "unknown field; expected one of " + String.join(", ", sorted(unknown.getKnownPropertyIds()));
    }
    boolean inList = !e.getPath().isEmpty() && e.getPath().get(e.getPath().size() - 1).getPropertyName() == null;
    Class<?> type = e instanceof MismatchedInputException mismatch ? mismatch.getTargetType()
        : e instanceof ValueInstantiationException creator ? creator.getType().getRawClass() : null;
    if (inList || type != null && Collection.class.isAssignableFrom(type)) {
      return "must be a list of non-empty strings";
    }
    if (type == null) {
      return "is not readable here";
    }
    if (type == ProductStatus.class) {
      return "unknown status; " + ProductStatus.EXPECTED;
    }
    if (type == BigDecimal.class) {
      return "must be a number";
    }
    if (type == Integer.class || type == int.class) {
      return "must be a whole number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "must be true or false";
    }
    if (type == String.class) {
      return "must be a non-empty string";
    }
    if (type == Instant.class) {
      return "must be an ISO-8601 instant, e.g. 2026-01-31T00:00:00Z";
    }
    return "must be a JSON object";
  }

  private static List<String> sorted(Collection<Object> names) {
    return names.stream().map(String::valueOf).sorted().toList();
  }

  /** Only an ISO-8601 string: Jackson's own reader also takes a number as epoch seconds, which is rarely what a user meant. */
  private static final class IsoInstant extends StdDeserializer<Instant> {

    IsoInstant() {
      super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) {
      if (!p.hasToken(JsonToken.VALUE_STRING)) {
        return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
      }
      try {
        return Instant.parse(p.getString().strip());
      } catch (DateTimeParseException e) {
        throw ctxt.weirdStringException(p.getString(), Instant.class, "not an ISO-8601 instant");
      }
    }
  }
}
