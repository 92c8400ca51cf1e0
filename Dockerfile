# syntax=docker/dockerfile:1
# One image for every role: STOREOPS_ROLES (api | worker | api,worker) picks what a container does.
#
#   docker build -t storeops:latest .
#   docker compose up            (see docker-compose.yml)
#
# DockerfileBuildIT lays out a temporary directory exactly as the build stage's COPY lines do and
# runs its RUN lines there, so a module missing below fails `./mvnw verify`, not the first deploy.

# ---------------------------------------------------------------------------------------------
# Build stage: Temurin 17 JDK (the code is compiled for Java 17); Maven comes from the wrapper,
# so the image builds with the same Maven version as a developer's machine and CI.
# ---------------------------------------------------------------------------------------------
FROM eclipse-temurin:17-jdk AS build
WORKDIR /build

# Maven reads every <module> of the root pom before it builds any of them, even with -pl, so each
# module's pom must be present, bench's included (its sources are not needed: -pl api -am builds
# only api and what api depends on).
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY workflows/pom.xml workflows/pom.xml
COPY activities/pom.xml activities/pom.xml
COPY worker/pom.xml worker/pom.xml
COPY api/pom.xml api/pom.xml
COPY bench/pom.xml bench/pom.xml
COPY workflows/src workflows/src
COPY activities/src activities/src
COPY worker/src worker/src
COPY api/src api/src

# The local repository lives in a BuildKit cache, so a source change does not download the
# dependencies again. -DskipTests still compiles the tests: api needs activities' test-jar.
RUN --mount=type=cache,target=/root/.m2 \
    chmod +x mvnw && ./mvnw -B -pl api -am -DskipTests package

# Spring Boot's layered extraction: libraries change rarely, our code (storeops.jar and our
# modules' jars, both in the application layer) with every commit, so a code change re-ships one
# layer. Without --launcher: a plain storeops.jar with lib/ on its manifest class path, the layout
# the JVM's class data sharing can archive (classes of the Spring Boot launcher's own class loader
# it cannot).
RUN java -Djarmode=tools -jar api/target/storeops.jar extract --layers --destination extracted

# ---------------------------------------------------------------------------------------------
# Runtime stage: JRE only. The Java 17 bytecode runs on the 25 JRE for its AOT cache (below),
# which JDK 17 does not have (storeops runs on 17 and 21+; PackagedJarIT starts it on both).
# ---------------------------------------------------------------------------------------------
FROM eclipse-temurin:25-jre

# curl for the HEALTHCHECK below and compose's: the 25 JRE image ships none.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*

# Non-root. /app is the working directory and is writable by the app, so the embedded-PostgreSQL
# fallback (DATABASE_URL unset, .storeops/pg) also works, though compose always sets DATABASE_URL.
RUN groupadd --system storeops \
 && useradd --system --gid storeops --uid 10001 --home-dir /app --shell /usr/sbin/nologin storeops \
 && mkdir -p /app \
 && chown storeops:storeops /app
WORKDIR /app

# Least to most often changed, one layer each: /app/lib/*.jar, then /app/storeops.jar.
COPY --from=build /build/extracted/dependencies/ ./
COPY --from=build /build/extracted/snapshot-dependencies/ ./
COPY --from=build /build/extracted/application/ ./
USER storeops

# Warm start: an AOT cache (JDK 25: classes and method profiles). The training run starts
# storeops on its embedded fallbacks (no DATABASE_URL, no TEMPORAL_ADDRESS), imports a generated
# Shopify export of 20 000 products twice — as a form, then as a text/csv body, every product an
# update — and exits; the JVM then writes storeops.aot: the classes the run loaded and linked and
# the profiles its imports gathered. Every later start maps those classes, and its JIT compiles
# the import's code without first running it slowly to learn it: WarmStartBench measured start to
# UP 1.53 x sooner than the same JRE without it, and ImportBench a first 100 000-product import
# 1.0-1.9 JVM CPU s cheaper than java -jar on 17 (README, "Deploy"; docs/benchmarks.md). -Xmx1g pins the
# training's heap to one the containers' share (compressed pointers), whatever the build host's
# RAM. The cache belongs to this JRE and these jars; a JVM that finds it stale warns and starts
# without it. The run fails the build unless both imports wrote every product.
RUN STOREOPS_TRAINING_PRODUCTS=20000 PORT=0 STOREOPS_EMBEDDED_TEMPORAL_PORT=0 java -Xmx1g -XX:AOTCacheOutput=storeops.aot -jar storeops.jar \
 && rm -rf .storeops

# Container-aware heap: the JVM sizes its heap from the container's memory limit (the compose
# deploy.resources.limits.memory), not from the host's RAM. 75% leaves room for metaspace, thread
# stacks, direct buffers (gRPC/Netty for Temporal) and the code cache. On OOM the process exits so
# the container restarts instead of limping on. JAVA_TOOL_OPTIONS is read by every JVM, so a
# `docker run ... -e JAVA_TOOL_OPTIONS=...` replaces it entirely.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError" \
    PORT=8080

EXPOSE 8080

# curl (installed above) lets the image check itself. Readiness, not
# liveness: it turns unhealthy when PostgreSQL or Temporal is unreachable. The JVM, Flyway and the
# Temporal client take a while to start, hence the start period. Compose repeats this check.
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
  CMD curl -fsS "http://localhost:${PORT}/actuator/health/readiness" >/dev/null || exit 1

# Exec form: java is PID 1 and gets SIGTERM directly, so Spring's graceful shutdown runs.
ENTRYPOINT ["java", "-XX:AOTCache=storeops.aot", "-jar", "storeops.jar"]
