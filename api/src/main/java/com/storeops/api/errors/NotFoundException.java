package com.storeops.api.errors;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** 404 problem+json for an id that names nothing. */
public class NotFoundException extends ErrorResponseException {

  public NotFoundException(String what, Object id) {
    super(HttpStatus.NOT_FOUND, problem(what, id), null);
  }

  private static ProblemDetail problem(String what, Object id) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No " + what + " with id " + id);
    problem.setTitle("Not found");
    return problem;
  }
}
