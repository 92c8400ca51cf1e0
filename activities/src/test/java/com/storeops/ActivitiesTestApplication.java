package com.storeops;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The activities module's beans on a real (embedded) PostgreSQL, for data-layer tests. */
@SpringBootApplication
public class ActivitiesTestApplication {}
