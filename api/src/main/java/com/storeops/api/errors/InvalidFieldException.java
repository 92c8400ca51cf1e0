package com.storeops.api.errors;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A request field the user got wrong: 400 problem+json naming the field and the reason. */
public class InvalidFieldException extends ErrorResponseException {

  public InvalidFieldException(String field, String reason) {
    super(HttpStatus.BAD_REQUEST, problem(field, reason), null);
  }

  private static ProblemDetail problem(String field, String reason) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, field + ": " + reason);
    problem.setTitle("Invalid request");
    problem.setProperty("field", field);
    problem.setProperty("reason", reason);
    return problem;
  }
}
