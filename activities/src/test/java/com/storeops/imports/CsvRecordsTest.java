package com.storeops.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/**
 * {@link CsvRecords} reads a file as commons-csv's RFC 4180 format does — the values, where each
 * record starts in characters and on which line — compared on many generated inputs made of the
 * characters that matter (separators, quotes, CR, LF, whitespace, U+2028).
 */
class CsvRecordsTest {

  private static final char[] ALPHABET = {'a', 'b', ',', ',', '"', '"', '\r', '\n', '\n', ' ', '\t', '\u2028', 'é', '\uFFFD', '\u0000'};

  /** A record as read: values, first character, first line; or the failure. */
  private record Read(List<String> values, long position, long line, long chars, boolean suspect) {}

  @Test
  void readsGeneratedInputAsCommonsCsvDoes() throws Exception {
    Random random = new Random(19);
    int compared = 0;
    for (int i = 0; i < 50_000; i++) {
      char[] text = new char[random.nextInt(24)];
      for (int j = 0; j < text.length; j++) {
        text[j] = ALPHABET[random.nextInt(ALPHABET.length)];
      }
      String csv = new String(text);
      List<Read> expected = commons(csv);
      List<Read> actual = ours(new StringReader(csv));
      assertThat(actual).as("reading %s", csv.replace("\r", "\\r").replace("\n", "\\n")).isEqualTo(expected);
      // The same characters a few at a time: every run of them split across the buffer's refills.
      assertThat(ours(new Trickle(csv, random.nextLong()))).as("reading %s in pieces", csv).isEqualTo(actual);
      compared++;
    }
    assertThat(compared).isEqualTo(50_000);
  }

  @Test
  void readsOnlyTheColumnsKept() {
    CsvRecords records = new CsvRecords(new StringReader("h,t,s\n\"a,1\",\"long \"\"title\"\"\",S-1\nb,,\n"), 1, 1000);
    assertThat(records.next()).isTrue();
    records.keepOnly(new boolean[] {true, false, true});
    assertThat(records.next()).isTrue();
    assertThat(records.values()).containsExactly("a,1", null, "S-1");
    assertThat(records.chars()).as("3 + 1, 12 + 1, 3 + 1").isEqualTo(21);
    assertThat(records.line()).isEqualTo(2);
    assertThat(records.next()).isTrue();
    assertThat(records.values()[0]).isEqualTo("b");
    assertThat(records.next()).isFalse();
  }

  @Test
  void aQuoteNeverClosedNamesTheLineItOpenedOn() {
    CsvRecords records = new CsvRecords(new StringReader("h,t\na,b\nc,\"open\nd,e\n"), 1, 1000);
    assertThat(records.next()).isTrue();
    assertThat(records.next()).isTrue();
    assertThatThrownBy(records::next).isInstanceOf(ImportFileException.class).hasMessageContaining("quote opened on line 3 is never closed");
  }

  @Test
  void aRecordPastTheLimitRefusesTheFile() {
    CsvRecords quoted = new CsvRecords(new StringReader("h\n\"" + "x".repeat(100) + "\"\n"), 1, 50);
    quoted.next();
    assertThatThrownBy(quoted::next).isInstanceOf(ImportFileException.class)
        .hasMessageContaining("the quote opened on line 2 is not closed within 50 characters");
    CsvRecords plain = new CsvRecords(new StringReader("h\n" + "x".repeat(100) + "\n"), 1, 50);
    plain.next();
    assertThatThrownBy(plain::next).isInstanceOf(ImportFileException.class)
        .hasMessageContaining("the row starting on line 2 is longer than 50 characters");
  }

  @Test
  void aRecordOfSeparatorsAloneIsBoundedToo() {
    // 1 000 empty cells: 1 000 characters, past the bound of 50 as 1 000 letters are.
    CsvRecords commas = new CsvRecords(new StringReader("h\n" + ",".repeat(1000) + "\n"), 1, 50);
    commas.next();
    assertThatThrownBy(commas::next).isInstanceOf(ImportFileException.class)
        .hasMessageContaining("the row starting on line 2 is longer than 50 characters");
  }

  @Test
  void marksRecordsHoldingAReplacementCharacterOrNul() {
    CsvRecords records = new CsvRecords(new StringReader("a,b\nc\uFFFD,d\ne,f\u0000\n"), 1, 1000);
    records.next();
    assertThat(records.suspect()).isFalse();
    records.next();
    assertThat(records.suspect()).isTrue();
    records.next();
    assertThat(records.suspect()).isTrue();
  }

  private static List<Read> commons(String csv) {
    List<Read> reads = new ArrayList<>();
    try (CSVParser parser = CSVFormat.RFC4180.builder().get().parse(new StringReader(csv))) {
      long lastLine = 0;
      for (CSVRecord record : parser) {
        long line = lastLine + 1;
        lastLine = parser.getCurrentLineNumber();
        List<String> values = record.toList();
        boolean suspect = values.stream().anyMatch(v -> v.indexOf('\uFFFD') >= 0 || v.indexOf('\u0000') >= 0);
        reads.add(new Read(values, record.getCharacterPosition(), line,
            values.stream().mapToLong(v -> v.length() + 1L).sum(), suspect));
      }
    } catch (Exception e) {
      reads.add(null); // refused
    }
    return reads;
  }

  private static List<Read> ours(java.io.Reader csv) {
    List<Read> reads = new ArrayList<>();
    try {
      CsvRecords records = new CsvRecords(csv, 1, 1000);
      while (records.next()) {
        reads.add(new Read(Arrays.asList(records.values()), records.position(), records.line(), records.chars(),
            records.suspect()));
      }
    } catch (ImportFileException e) {
      reads.add(null);
    }
    return reads;
  }

  /** Gives its text one to three characters per read, as a slow stream would. */
  private static final class Trickle extends java.io.Reader {
    private final String text;
    private final Random random;
    private int at;

    Trickle(String text, long seed) {
      this.text = text;
      this.random = new Random(seed);
    }

    @Override
    public int read(char[] buffer, int offset, int length) {
      if (at == text.length()) {
        return -1;
      }
      int n = Math.min(Math.min(length, 1 + random.nextInt(3)), text.length() - at);
      text.getChars(at, at + n, buffer, offset);
      at += n;
      return n;
    }

    @Override
    public void close() {}
  }
}
