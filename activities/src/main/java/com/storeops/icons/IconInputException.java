package com.storeops.icons;

/** A product's image that cannot become icons — recorded as that product's error, never the operation's. */
public final class IconInputException extends Exception {

  public IconInputException(String reason) {
    super(reason);
  }
}
