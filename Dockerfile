# One image for every role: STOREOPS_ROLES (api | worker | api,worker) picks what a container does.
#
#   docker build -t storeops:latest .
#   docker compose up            (see docker-compose.yml)

# ---------------------------------------------------------------------------------------------
# Build stage: Maven + Temurin 17 JDK (the code is compiled for Java 17).
# ---------------------------------------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build

# The poms and the wrapper first, so the dependency download is a cached layer that only changes
# when a pom does. go-offline cannot resolve the modules' own SNAPSHOT artifacts (they are built
# below, not downloaded), so a failure here is tolerated: whatever it fetched stays cached.
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY workflows/pom.xml workflows/pom.xml
COPY activities/pom.xml activities/pom.xml
COPY worker/pom.xml worker/pom.xml
COPY api/pom.xml api/pom.xml
RUN chmod +x mvnw && (./mvnw -B -q dependency:go-offline || true)

COPY workflows/src workflows/src
COPY activities/src activities/src
COPY worker/src worker/src
COPY api/src api/src
RUN ./mvnw -B -DskipTests package

# ---------------------------------------------------------------------------------------------
# Runtime stage: JRE only. Java 17 bytecode; the 17 JRE matches the build.
# ---------------------------------------------------------------------------------------------
FROM eclipse-temurin:17-jre

# Non-root. /app is the working directory and is writable by the app, so the embedded-PostgreSQL
# fallback (DATABASE_URL unset, .storeops/pg) also works, though compose always sets DATABASE_URL.
RUN groupadd --system storeops \
 && useradd --system --gid storeops --uid 10001 --home-dir /app --shell /usr/sbin/nologin storeops \
 && mkdir -p /app \
 && chown storeops:storeops /app
WORKDIR /app
COPY --from=build --chown=storeops:storeops /build/api/target/storeops.jar /app/storeops.jar
USER storeops

# Container-aware heap: the JVM sizes its heap from the container's memory limit (the compose
# deploy.resources.limits.memory), not from the host's RAM. 75% leaves room for metaspace, thread
# stacks, direct buffers (gRPC/Netty for Temporal) and the code cache. On OOM the process exits so
# the container restarts instead of limping on. JAVA_TOOL_OPTIONS is read by every JVM, so a
# `docker run ... -e JAVA_TOOL_OPTIONS=...` replaces it entirely.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError" \
    PORT=8080

EXPOSE 8080

# The eclipse-temurin Ubuntu images ship curl (and wget), so the image can check itself. Readiness,
# not liveness: it turns unhealthy when PostgreSQL or Temporal is unreachable. The JVM, Flyway and
# the Temporal client take a while to start, hence the start period. Compose repeats this check.
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
  CMD curl -fsS "http://localhost:${PORT}/actuator/health/readiness" >/dev/null || exit 1

# Exec form: java is PID 1 and gets SIGTERM directly, so Spring's graceful shutdown runs.
# (This replaces the base image's CA-certificate entrypoint, which only acts when
# USE_SYSTEM_CA_CERTS is set.)
ENTRYPOINT ["java", "-jar", "/app/storeops.jar"]
