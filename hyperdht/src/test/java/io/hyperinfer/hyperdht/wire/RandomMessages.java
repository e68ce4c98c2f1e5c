package io.hyperinfer.hyperdht.wire;

import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.testkit.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Seeded random instances of every message. With {@code jsSafe}, numbers JS's own preencode assumes to fit one byte
 * (payload error, firewall and round) stay below 0xfd, and versions are 1, so the JS encoder can reproduce them.
 */
public final class RandomMessages {
  private final SplittableRandom random;
  private final boolean jsSafe;

  public RandomMessages(SplittableRandom random, boolean jsSafe) {
    this.random = random;
    this.jsSafe = jsSafe;
  }

  /** A random value of the JS type {@code name}. */
  public Object of(String name) {
    return switch (name) {
      case "handshake" -> handshake();
      case "holepunch" -> holepunch();
      case "noisePayload" -> noisePayload();
      case "holepunchPayload" -> holepunchPayload();
      case "peer" -> peer();
      case "peers" -> list(this::peer, 4);
      case "lookupRawReply" -> new LookupReply(list(this::peer, 5), uint());
      case "announce" -> announce();
      case "mutableSignable" -> new MutableSignable(uint(), bytes(random.nextInt(40)));
      case "mutablePutRequest" -> new MutablePutRequest(bytes(32), uint(), bytes(random.nextInt(40)), bytes(64));
      case "mutableGetResponse" -> new MutableGetResponse(uint(), bytes(random.nextInt(40)), bytes(64));
      case "pluginRequest" -> new PluginRequest(text(), uint(), uint(), maybe(() -> bytes(random.nextInt(20))));
      case "hyperdhtAddress" -> new HyperDhtAddress(bytes(32), maybe(() -> list(this::address, 3)));
      default -> throw new IllegalArgumentException(name);
    };
  }

  Handshake handshake() {
    return new Handshake(mode(), bytes(random.nextInt(100)), maybe(this::address), maybe(this::address));
  }

  Holepunch holepunch() {
    return new Holepunch(mode(), uint(), bytes(random.nextInt(80)), maybe(this::address));
  }

  NoisePayload noisePayload() {
    if (!jsSafe && random.nextInt(10) == 0) {
      return NoisePayload.ofVersion(2 + random.nextInt(1000));
    }
    HolepunchInfo holepunch = maybe(() -> new HolepunchInfo(uint(),
        list(() -> new HolepunchInfo.RelayInfo(address(), address()), 3)));
    UdxInfo udx = maybe(() -> new UdxInfo(jsSafe ? 1 : uint(), random.nextBoolean(), uint(), uint()));
    SecretStreamInfo ss = maybe(() -> new SecretStreamInfo(jsSafe ? 1 : uint()));
    RelayThroughInfo rt = maybe(() -> new RelayThroughInfo(jsSafe ? 1 : uint(), bytes(32), bytes(32)));
    return new NoisePayload(1, small(), small(), holepunch, list(this::address, 3), list(this::address6, 2), udx, ss,
        rt, maybe(() -> list(this::address, 3)));
  }

  HolepunchPayload holepunchPayload() {
    return new HolepunchPayload(small(), small(), small(), random.nextBoolean(), random.nextBoolean(),
        maybe(() -> list(this::address, 3)), maybe(this::address), maybe(() -> bytes(32)), maybe(() -> bytes(32)));
  }

  Peer peer() {
    return new Peer(bytes(32), list(this::address, 4));
  }

  Announce announce() {
    return new Announce(maybe(this::peer), maybe(() -> bytes(32)), maybe(() -> bytes(64)),
        random.nextBoolean() ? 0 : uint());
  }

  HostPort address() {
    return new HostPort(random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
        + random.nextInt(256), random.nextInt(65536));
  }

  HostPort address6() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      s.append(i == 0 ? "" : ":").append(Integer.toHexString(random.nextInt(65536)));
    }
    return new HostPort(s.toString(), random.nextInt(65536));
  }

  private RouteMode mode() {
    return RouteMode.values()[random.nextInt(RouteMode.values().length)];
  }

  /** A uint with every varint width represented. */
  long uint() {
    return switch (random.nextInt(5)) {
      case 0 -> random.nextInt(0xfd);
      case 1 -> 0xfd + random.nextInt(0xffff - 0xfd + 1);
      case 2 -> 0x10000 + random.nextLong(0xffffffffL - 0x10000 + 1);
      case 3 -> 0x100000000L + random.nextLong(Buf.MAX_SAFE_UINT - 0x100000000L + 1);
      default -> random.nextBoolean() ? 0 : Buf.MAX_SAFE_UINT;
    };
  }

  private long small() {
    return jsSafe ? random.nextInt(0xfd) : uint();
  }

  private String text() {
    String[] parts = {"blind-relay", "plüg", "", "名前", "x".repeat(300)};
    return parts[random.nextInt(parts.length)];
  }

  byte[] bytes(int n) {
    return Seeds.bytes(random, n);
  }

  private <T> T maybe(Supplier<T> s) {
    return random.nextBoolean() ? s.get() : null;
  }

  private <T> List<T> list(Supplier<T> s, int max) {
    List<T> out = new ArrayList<>();
    for (int i = random.nextInt(max + 1); i > 0; i--) {
      out.add(s.get());
    }
    return out;
  }
}
