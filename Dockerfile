# The hyperinfer launcher as a container image: builds app/target/hyperinfer.jar, then runs it on a JDK 25 runtime as
# a non-root user with its data in /data. docs/OPERATOR.md shows how to run workers with it.
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q package -DskipTests -Djacoco.skip=true -pl app -am

FROM eclipse-temurin:25-jre
RUN useradd --system --home-dir /data --shell /usr/sbin/nologin hyperinfer \
    && mkdir -p /data && chown hyperinfer /data && chmod 0700 /data
COPY --from=build /src/app/target/hyperinfer.jar /opt/hyperinfer/hyperinfer.jar
USER hyperinfer
ENV HYPERINFER_HOME=/data
VOLUME /data
ENTRYPOINT ["java", "--enable-native-access=ALL-UNNAMED", "-jar", "/opt/hyperinfer/hyperinfer.jar"]
CMD ["--help"]
