package com.storeops.api.errors;

import java.util.UUID;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every API error as {@code application/problem+json}. Spring's base class covers the framework's
 * own errors (unknown route, wrong method, unreadable body, bad parameter type); our exceptions
 * carry their ProblemDetail; anything else is a 500 that shows an id to quote, never internals.
 */
@RestControllerAdvice
class ApiErrors extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

  @Override
  protected ResponseEntity<Object> handleTypeMismatch(
      TypeMismatchException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    String field = ex.getPropertyName() == null ? "parameter" : ex.getPropertyName();
    String expected = ex.getRequiredType() == null ? "a valid value" : describe(ex.getRequiredType());
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, field + ": must be " + expected);
    problem.setTitle("Invalid request");
    problem.setProperty("field", field);
    problem.setProperty("reason", "must be " + expected);
    return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
  }

  /**
   * A body declared multipart that is not (no boundary, cut short): the client's mistake. An upload
   * over the limit is a subclass that the base class answers with 413.
   */
  @ExceptionHandler(MultipartException.class)
  ResponseEntity<ProblemDetail> malformedMultipart(MultipartException ex) {
    return badRequest("the request body is not valid multipart/form-data");
  }

  /** A query string or form Tomcat cannot parse (a parameter without a name, bad %-encoding). */
  @ExceptionHandler(InvalidParameterException.class)
  ResponseEntity<ProblemDetail> malformedParameters(InvalidParameterException ex) {
    return badRequest("the query string or form parameters cannot be parsed");
  }

  private static ResponseEntity<ProblemDetail> badRequest(String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
    problem.setTitle(HttpStatus.BAD_REQUEST.getReasonPhrase());
    return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception ex) {
    String incident = UUID.randomUUID().toString();
    log.error("Unhandled error, incident {}", incident, ex);
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.INTERNAL_SERVER_ERROR, "Internal error; the server log has incident " + incident);
    problem.setTitle("Internal error");
    problem.setProperty("incident", incident);
    return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(problem);
  }

  private static String describe(Class<?> type) {
    if (type == UUID.class) {
      return "a UUID";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
      return "a number";
    }
    return "a valid " + type.getSimpleName();
  }
}
