# The server with the exporters chosen at build time, built and cached so that it starts and serves
# with no network:  docker build --build-arg EXPORTERS=dummy,cisco -t metrics .
#                   docker run -p 8080:8080 metrics   ->  http://localhost:8080/metrics/dummy
# scripts/prepare-exporters.sh does the work; scripts/test-image.sh checks this file end to end.

# ---- build: a JDK, Maven (to install the pinned JBang), JBang's caches --------------------------
FROM debian:bookworm-slim AS build
# (the JDK's postinst links its manual pages, whose folder -slim images may lack)
RUN mkdir -p /usr/share/man/man1 \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jdk-headless maven tini \
 && rm -rf /var/lib/apt/lists/*
# The cached exporter commands name the JDK's java by its real path: the JDK moves to /opt/java,
# where the runtime stage puts the jlink'd runtime.
RUN jdk=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")") \
 && mv "$jdk" /opt/java && ln -s /opt/java "$jdk"
# UTF-8: Java 17 reads sources and writes text in the locale's encoding (POSIX, ASCII, if unset)
ENV LANG=C.UTF-8 \
    JAVA_HOME=/opt/java \
    PATH=/opt/java/bin:$PATH \
    JBANG_DIR=/opt/metrics/jbang \
    JBANG_REPO=/opt/metrics/m2 \
    METRICS_CACHE_DIR=/opt/metrics/cache
# JBang itself, in a layer of its own that source changes do not invalidate
COPY jbang /src/jbang
RUN /src/jbang version
COPY . /src
# Comma-separated exporter names (exporters/NAME.java or exporters/NAME/NAME.java); an unknown name fails.
ARG EXPORTERS=dummy
RUN /src/scripts/prepare-exporters.sh --exporters "$EXPORTERS" --app /app --stage /stage --jlink

# ---- runtime: the jlink'd runtime, the server, the chosen exporters and the jars they need -------
FROM debian:bookworm-slim
COPY --from=build /usr/bin/tini /usr/bin/tini
COPY --from=build /src/scripts/healthcheck.sh /usr/local/bin/metrics-healthcheck
COPY --from=build /stage/ /
RUN useradd --system --user-group --uid 10001 --home-dir /nonexistent --no-create-home \
        --shell /usr/sbin/nologin metrics \
 && chown -R metrics:metrics /opt/metrics/cache
ENV LANG=C.UTF-8 \
    JAVA_HOME=/opt/java \
    PATH=/opt/java/bin:$PATH \
    JBANG_DIR=/opt/metrics/jbang \
    JBANG_REPO=/opt/metrics/m2 \
    METRICS_CACHE_DIR=/opt/metrics/cache \
    PORT=8080
WORKDIR /app
USER metrics
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 CMD ["/usr/local/bin/metrics-healthcheck"]
# tini (PID 1) passes SIGTERM on to the server, which stops gracefully (in-flight requests get up to
# TIMEOUT seconds: `docker stop -t 60`), and reaps any orphaned process an exporter leaves behind.
# The JVM options are server.java's //RUNTIME_OPTIONS, which `java -jar` does not read from the jar.
ENTRYPOINT ["/usr/bin/tini", "--", "/opt/java/bin/java", "-XX:+ExitOnOutOfMemoryError", "-XX:+UseSerialGC", "-Xmn16m", "-Xmx256m", "-Xss512k", "-XX:MaxHeapFreeRatio=30", "-XX:MinHeapFreeRatio=10", "-jar", "/app/server/server.jar"]
