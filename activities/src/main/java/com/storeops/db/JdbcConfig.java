package com.storeops.db;

import com.storeops.operations.JsonDocument;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import org.postgresql.util.PGobject;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.data.convert.CustomConversions;
import org.springframework.data.convert.ReadingConverter;
import org.springframework.data.convert.WritingConverter;
import org.springframework.data.jdbc.core.convert.JdbcCustomConversions;
import org.springframework.data.jdbc.core.mapping.JdbcSimpleTypes;
import org.springframework.data.mapping.model.SimpleTypeHolder;

/** Spring Data JDBC mapping for the types PostgreSQL stores natively. */
@Configuration(proxyBeanMethods = false)
class JdbcConfig {

  @Bean
  JdbcCustomConversions jdbcCustomConversions() {
    // PGobject is a type pgjdbc binds natively; declaring it simple keeps Spring Data from treating
    // the converters as entity conversions.
    SimpleTypeHolder pgTypes = new SimpleTypeHolder(Set.of(PGobject.class), JdbcSimpleTypes.HOLDER);
    return new JdbcCustomConversions(
        CustomConversions.StoreConversions.of(pgTypes), List.of(new JsonWriter(), new JsonReader()));
  }

  @WritingConverter
  static class JsonWriter implements Converter<JsonDocument, PGobject> {
    @Override
    public PGobject convert(JsonDocument source) {
      PGobject json = new PGobject();
      json.setType("jsonb");
      try {
        json.setValue(source.json());
      } catch (SQLException e) {
        throw new IllegalArgumentException(e);
      }
      return json;
    }
  }

  @ReadingConverter
  static class JsonReader implements Converter<PGobject, JsonDocument> {
    @Override
    public JsonDocument convert(PGobject source) {
      return new JsonDocument(source.getValue());
    }
  }
}
