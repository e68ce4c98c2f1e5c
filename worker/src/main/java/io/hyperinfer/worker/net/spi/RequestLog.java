package io.hyperinfer.worker.net.spi;

import io.hyperinfer.worker.net.PeerRef;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per call this worker handled (request, stream or event), when it ends: method, the first 8 hex
 * characters of the caller's proven key, the outcome (ok or the error code) and the time in milliseconds, on logger
 * {@value #LOGGER} at INFO; in JSON logs each is a field of its own ({@code method, peer, outcome, ms}). Off with
 * {@code facs.net.requestLog=false}. Thread-safe.
 */
public final class RequestLog {
  /** The logger the lines go to. */
  public static final String LOGGER = "io.hyperinfer.requests";
  /** Hex characters of the peer's key in a line: enough to tell peers apart, short enough to read. */
  static final int PEER_PREFIX = 8;
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private final boolean enabled;

  public RequestLog(boolean enabled) {
    this.enabled = enabled;
  }

  /** Logs one finished call. */
  public void log(String method, PeerRef peer, String outcome, long nanos) {
    if (!enabled || !LOG.isInfoEnabled()) {
      return;
    }
    String prefix = peer.hex().substring(0, PEER_PREFIX);
    double ms = Math.round(nanos / 1e3) / 1e3;
    LOG.atInfo().addKeyValue("method", method).addKeyValue("peer", prefix).addKeyValue("outcome", outcome)
        .addKeyValue("ms", ms)
        .log("rpc {} from {} {} {} ms", method, prefix, outcome, String.format(Locale.ROOT, "%.3f", ms));
  }
}
