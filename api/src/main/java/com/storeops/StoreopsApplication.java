package com.storeops;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The one runnable artifact: api and worker roles, together by default (STOREOPS_ROLES). */
@SpringBootApplication
public class StoreopsApplication {

  public static void main(String[] args) {
    SpringApplication.run(StoreopsApplication.class, args);
  }
}
