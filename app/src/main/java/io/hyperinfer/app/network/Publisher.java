package io.hyperinfer.app.network;

import io.hyperinfer.dht.NodeOptions;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.HyperDht;
import io.hyperinfer.hyperdht.HyperDhtOptions;
import io.hyperinfer.worker.net.swarm.DhtRosters;
import io.hyperinfer.network.NetworkException;
import io.hyperinfer.network.NetworkKey;
import io.hyperinfer.network.SignedRoster;
import io.hyperinfer.hyperdht.PutResult;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Publishes and fetches rosters through a short-lived ephemeral HyperDHT node on 127.0.0.1. */
final class Publisher {
  private static final long WAIT_SECONDS = 60;

  private Publisher() {}

  /** {@code HOST:PORT[,HOST:PORT...]} of IPv4 literals (no DNS on this network). */
  static List<HostPort> bootstrap(String value) {
    List<HostPort> out = new ArrayList<>();
    for (String entry : value.split(",", -1)) {
      String e = entry.strip();
      int colon = e.lastIndexOf(':');
      try {
        String host = e.substring(0, Math.max(colon, 0));
        int port = Integer.parseInt(e.substring(colon + 1));
        if (colon > 0 && port > 0 && port <= 0xffff && host.chars().allMatch(c -> c == '.' || Character.isDigit(c))
            && InetAddress.ofLiteral(host) instanceof Inet4Address) {
          out.add(new HostPort(host, port));
          continue;
        }
      } catch (IllegalArgumentException ignored) {
        // reported below, with the entry
      }
      throw new NetworkException(NetworkException.Code.BAD_ARGUMENT, "--bootstrap: '" + entry
          + "' is not IPV4:PORT");
    }
    return out;
  }

  static PutResult publish(List<HostPort> bootstrap, NetworkKey network, SignedRoster roster) {
    try (HyperDht dht = node(bootstrap)) {
      return await(new DhtRosters(dht, network).publish(roster));
    }
  }

  static Optional<SignedRoster> fetch(List<HostPort> bootstrap, NetworkKey network) {
    try (HyperDht dht = node(bootstrap)) {
      return await(new DhtRosters(dht, network).fetch(0));
    }
  }

  private static HyperDht node(List<HostPort> bootstrap) {
    HyperDht dht = HyperDht.create(HyperDhtOptions.DEFAULT.withHost("127.0.0.1").withPort(0).withAnyPort(true)
        .withBootstrap(bootstrap).withMode(NodeOptions.Mode.EPHEMERAL));
    try {
      await(dht.ready());
    } catch (RuntimeException e) {
      dht.close();
      throw e;
    }
    return dht;
  }

  private static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new NetworkException(NetworkException.Code.IO, "DHT: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new NetworkException(NetworkException.Code.IO, "the DHT did not answer within " + WAIT_SECONDS + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NetworkException(NetworkException.Code.IO, "interrupted");
    }
  }
}
