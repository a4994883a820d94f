# Multi-stage build: compile and test-free package with the Maven wrapper, then run on a JRE as a non-root user.
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY db/ db/
COPY src/ src/
RUN ./mvnw -B -q package -DskipTests && cp target/tellus-*.jar /tellus.jar

FROM eclipse-temurin:21-jre
RUN groupadd --system tellus && useradd --system --gid tellus --no-create-home tellus \
    && apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
COPY --from=build /tellus.jar /app/tellus.jar
USER tellus
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD curl -fsS http://localhost:8080/actuator/health/readiness || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/tellus.jar"]
