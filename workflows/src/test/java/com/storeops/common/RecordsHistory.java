package com.storeops.common;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Marks a method that records a workflow history for the replay tests. It is a tool, not a test: the
 * build leaves it out, and {@code ./mvnw -pl workflows test -Precord-histories} runs only these,
 * writing into {@code src/test/resources/histories}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Test
@Tag(RecordsHistory.TAG)
public @interface RecordsHistory {
  String TAG = "record-history";
}
