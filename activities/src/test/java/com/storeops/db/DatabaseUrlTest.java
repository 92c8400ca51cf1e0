package com.storeops.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.storeops.config.InvalidSettingException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "postgres", "postgresql+psycopg", "postgresql+psycopg2"})
  void seedSchemesAllParseToTheSameJdbcUrl(String scheme) {
    DatabaseUrl url = DatabaseUrl.parse(scheme + "://shop:pw@db.example.com:6543/shopdb");

    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:6543/shopdb");
    assertThat(url.user()).isEqualTo("shop");
    assertThat(url.password()).isEqualTo("pw");
  }

  @Test
  void jdbcUrlWithCredentialsInTheQueryMovesThemOutOfTheUrl() {
    DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://localhost/shop?user=app&password=pw&sslmode=require");

    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/shop?sslmode=require");
    assertThat(url.credentials()).containsEntry("user", "app").containsEntry("password", "pw");
  }

  @Test
  void percentEncodedPasswordIsDecodedAndPlusStaysPlus() {
    DatabaseUrl url = DatabaseUrl.parse("postgresql://postgres.abc:p%40ss%3Aw+rd%C3%A9@aws-0.pooler.supabase.com:6543/postgres");

    assertThat(url.user()).isEqualTo("postgres.abc");
    assertThat(url.password()).isEqualTo("p@ss:w+rdé");
  }

  @Test
  void libpqParametersAreRenamedForPgjdbc() {
    DatabaseUrl url = DatabaseUrl.parse("postgresql://u@h/db?connect_timeout=5&application_name=x&sslmode=verify-full");


    assertThat(url.params())
        .containsEntry("connectTimeout", "5")
        .containsEntry("ApplicationName", "x")
        .containsEntry("sslmode", "verify-full");
  }

  @Test
  void toStringMasksThePassword() {
    assertThat(DatabaseUrl.parse("postgresql://u:topsecret@h:5432/db").toString())
        .doesNotContain("topsecret")
        .contains("u:****@h:5432/db");
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "mysql://u:topsecret@h/db",
    "postgresql://u:topsecret@h:port/db",
    "postgresql://u:top@secret@h/db",
    "postgresql://u:topsecret@/db",
    "postgresql://u:topsecret@h:5432",
    "postgresql://u:top%ZZsecret@h/db",
    "u:topsecret@h/db",
    "postgresql://u:topsecret@h:99999/db",
    "postgresql://shop:8/topsecret@db:5432/shop"
  })
  void malformedUrlNamesTheSettingAndNeverThePassword(String value) {
    assertThatThrownBy(() -> DatabaseUrl.parse(value))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith("DATABASE_URL: ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("topsecret").doesNotContain("secret"));
  }

  @Test
  void emptyUrlIsReported() {
    assertThatThrownBy(() -> DatabaseUrl.parse("  ")).hasMessage("DATABASE_URL: is empty");
  }
}
