package io.hyperinfer.worker.net.spi;

import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigException;
import java.time.Duration;

/**
 * A net facility's settings, read once at start from the {@code facs.net} config section.
 *
 * @param timeout deadline of a request whose options name none ({@code timeout}, 10s)
 * @param streamTimeout deadline of a stream whose options name none, and the longest a stream handler may run for
 *     any caller ({@code streamTimeout}, 10m)
 * @param handlerTimeout the longest a request handler may run before its caller gets ERR_TIMEOUT and its cancel signal
 *     fires ({@code handlerTimeout}, 60s)
 * @param topicAttempts announcers a topic request may try ({@code topicAttempts}, 3)
 * @param announceInterval re-announce period ({@code announceInterval}, 10m)
 * @param maxInFlightPerPeer calls (requests, streams, events) one peer may have running here at once; more are
 *     refused with ERR_TOO_MANY_REQUESTS ({@code maxInFlightPerPeer}, 256)
 * @param maxInFlight calls running here at once from all peers together, past which every peer is refused the same
 *     way ({@code maxInFlight}, 4096): each holds a virtual thread and its payload
 */
public record NetSettings(Duration timeout, Duration streamTimeout, Duration handlerTimeout, int topicAttempts,
    Duration announceInterval, int maxInFlightPerPeer, int maxInFlight) {
  public static final NetSettings DEFAULT = new NetSettings(Duration.ofSeconds(10), Duration.ofMinutes(10),
      Duration.ofSeconds(60), 3, Duration.ofMinutes(10), 256, 4096);

  public NetSettings {
    positive("timeout", timeout);
    positive("streamTimeout", streamTimeout);
    positive("handlerTimeout", handlerTimeout);
    positive("announceInterval", announceInterval);
    if (topicAttempts < 1) {
      throw ConfigException.invalid("facs.net.topicAttempts", "must be at least 1");
    }
    if (maxInFlightPerPeer < 1) {
      throw ConfigException.invalid("facs.net.maxInFlightPerPeer", "must be at least 1");
    }
    if (maxInFlight < maxInFlightPerPeer) {
      throw ConfigException.invalid("facs.net.maxInFlight", "must be at least facs.net.maxInFlightPerPeer");
    }
  }

  /** From a worker's config: the {@code facs.net} section over {@link #DEFAULT}. */
  public static NetSettings fromConfig(Config config) {
    Config c = config.section("facs.net");
    return new NetSettings(c.duration("timeout", DEFAULT.timeout), c.duration("streamTimeout", DEFAULT.streamTimeout),
        c.duration("handlerTimeout", DEFAULT.handlerTimeout), c.intValue("topicAttempts", DEFAULT.topicAttempts),
        c.duration("announceInterval", DEFAULT.announceInterval),
        c.intValue("maxInFlightPerPeer", DEFAULT.maxInFlightPerPeer), c.intValue("maxInFlight", DEFAULT.maxInFlight));
  }

  private static void positive(String key, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw ConfigException.invalid("facs.net." + key, "must be positive");
    }
  }
}
