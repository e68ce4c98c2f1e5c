package io.hyperinfer.worker.log;

/** Run by LogSetupIT in a fresh JVM: logs one INFO and one WARN line through SLF4J. */
public final class LogProbe {
  private LogProbe() {}

  public static void main(String[] args) {
    org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("probe");
    log.info("probe info");
    log.warn("probe warn password=hunter2");
  }
}
