package com.storeops.db;

import com.storeops.config.InvalidSettingException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code DATABASE_URL} in libpq/SQLAlchemy form ({@code postgresql://…}) or as a JDBC URL, split into
 * a JDBC URL without credentials plus the user and password. Keeping the password out of the URL
 * keeps it out of every log line that prints the URL; {@link #toString()} masks it as well.
 */
public record DatabaseUrl(
    String host, int port, String database, String user, String password, Map<String, String> params) {

  private static final String SETTING = "DATABASE_URL";
  private static final List<String> SCHEMES =
      List.of("postgresql", "postgres", "postgresql+psycopg", "postgresql+psycopg2", "jdbc:postgresql");
  // scheme://[user[:password]@]host[:port][/database][?params] — parsed by hand rather than with
  // java.net.URI, whose exceptions quote the whole input and with it the password.
  private static final Pattern SHAPE =
      Pattern.compile("^([a-z0-9+:]+)://(?:([^@/?#]*)@)?([^/?#]*)(?:/([^?#]*))?(?:\\?([^#]*))?$");
  private static final Pattern HOST = Pattern.compile("^([A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+])$");
  // libpq / psycopg query parameters that pgjdbc spells differently.
  private static final Map<String, String> LIBPQ_TO_PGJDBC =
      Map.of("connect_timeout", "connectTimeout", "application_name", "ApplicationName");

  public DatabaseUrl {
    params = Map.copyOf(params);
  }

  public static DatabaseUrl parse(String value) {
    if (value == null || value.isBlank()) {
      throw new InvalidSettingException(SETTING, "is empty");
    }
    Matcher m = SHAPE.matcher(value.trim());
    if (!m.matches()) {
      throw new InvalidSettingException(
          SETTING, "is not a URL of the form postgresql://user:password@host:port/database");
    }
    String scheme = m.group(1);
    if (!SCHEMES.contains(scheme)) {
      throw new InvalidSettingException(
          SETTING, "scheme '" + scheme + "' is not supported; use one of " + String.join("://, ", SCHEMES) + "://");
    }
    Map<String, String> params = parseParams(m.group(5));
    String user = params.remove("user");
    String password = params.remove("password");
    if (m.group(2) != null) {
      String userInfo = m.group(2);
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon), "user name");
      password = colon < 0 ? password : decode(userInfo.substring(colon + 1), "password");
    }
    String hostPort = m.group(3);
    if (hostPort.isEmpty()) {
      throw new InvalidSettingException(SETTING, "has no host");
    }
    String host = hostPort;
    int port = 5432;
    int colon = hostPort.lastIndexOf(':');
    if (colon >= 0 && !hostPort.endsWith("]")) {
      host = hostPort.substring(0, colon);
      port = parsePort(hostPort.substring(colon + 1));
    }
    if (!HOST.matcher(host).matches()) {
      // Never echo it: a stray '@' from an unencoded password puts part of the password here.
      throw new InvalidSettingException(
          SETTING, "the host is not a valid host name (is there an unencoded '@' in the password? percent-encode it as %40)");
    }
    String database = m.group(4) == null ? "" : decode(m.group(4), "database name");
    if (database.isEmpty()) {
      throw new InvalidSettingException(SETTING, "has no database name (…/<database> after the host)");
    }
    if (database.contains("@") || database.contains("/")) {
      // Never echo it: an unencoded '/' in the password shifts the password into this part.
      throw new InvalidSettingException(
          SETTING, "the database name is not valid (is there an unencoded '/' or '@' in the password? percent-encode it)");
    }
    return new DatabaseUrl(host, port, database, user, password, params);
  }

  /** The JDBC URL without credentials: safe to log. */
  public String jdbcUrl() {
    StringBuilder url = new StringBuilder("jdbc:postgresql://").append(host).append(':').append(port)
        .append('/').append(database);
    char sep = '?';
    for (Map.Entry<String, String> p : params.entrySet()) {
      url.append(sep).append(p.getKey()).append('=').append(p.getValue());
      sep = '&';
    }
    return url.toString();
  }

  /** host:port/database, for messages. */
  public String describe() {
    return host + ":" + port + "/" + database;
  }

  public Properties credentials() {
    Properties props = new Properties();
    if (user != null) {
      props.setProperty("user", user);
    }
    if (password != null) {
      props.setProperty("password", password);
    }
    return props;
  }

  @Override
  public String toString() {
    return "DatabaseUrl[" + (user == null ? "" : user + (password == null ? "" : ":****") + "@") + describe() + "]";
  }

  private static int parsePort(String text) {
    try {
      int port = Integer.parseInt(text);
      if (port < 1 || port > 65535) {
        throw new InvalidSettingException(SETTING, "port " + port + " is outside 1-65535");
      }
      return port;
    } catch (NumberFormatException e) {
      // Never echo the text: with a stray '@' in an unencoded password, it may hold part of it.
      throw new InvalidSettingException(
          SETTING, "port is not a number (is there an unencoded '@', ':' or '/' in the password? percent-encode it)");
    }
  }

  private static Map<String, String> parseParams(String query) {
    Map<String, String> params = new LinkedHashMap<>();
    if (query == null || query.isEmpty()) {
      return params;
    }
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq), "query parameter");
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1), "query parameter '" + key + "'");
      params.put(LIBPQ_TO_PGJDBC.getOrDefault(key, key), value);
    }
    return params;
  }

  /** Percent-decoding only: unlike URLDecoder, a '+' in a password stays a '+'. */
  private static String decode(String text, String what) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
    int i = 0;
    while (i < text.length()) {
      int pct = text.indexOf('%', i);
      int end = pct < 0 ? text.length() : pct;
      out.writeBytes(text.substring(i, end).getBytes(StandardCharsets.UTF_8));
      if (pct < 0) {
        break;
      }
      int hi = pct + 2 < text.length() ? Character.digit(text.charAt(pct + 1), 16) : -1;
      int lo = pct + 2 < text.length() ? Character.digit(text.charAt(pct + 2), 16) : -1;
      if (hi < 0 || lo < 0) {
        throw new InvalidSettingException(SETTING, "the " + what + " has an invalid %-escape");
      }
      out.write(hi * 16 + lo);
      i = pct + 3;
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
