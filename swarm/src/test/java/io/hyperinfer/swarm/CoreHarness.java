package io.hyperinfer.swarm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/** A {@link SwarmCore} on virtual time with every dial, connection and ban recorded. */
final class CoreHarness implements SwarmCoreEvents {
  static final List<Long> BACKOFFS = List.of(1000L, 5000L, 15_000L, 600_000L);
  final PeerKey self;
  final List<FakeLink> dials = new ArrayList<>();
  final List<Link> connections = new ArrayList<>();
  final List<PeerInfo> bans = new ArrayList<>();
  final Set<String> joinedTopics = new HashSet<>();
  /** The shell's answer to {@link #mayReplace}: JS's rule unless a test says otherwise. */
  Predicate<Link> replaceable = l -> true;
  final SwarmCore core;
  long now = 1_000_000;

  CoreHarness(PeerKey self, SwarmLimits limits, SwarmFirewall firewall, boolean relaying) {
    this.self = self;
    RandomGenerator random = new SplittableRandom(7);
    Predicate<byte[]> joined = t -> joinedTopics.contains(Arrays.toString(t));
    this.core = new SwarmCore(self, limits, firewall, BACKOFFS, 0, random, joined, relaying, this);
  }

  CoreHarness(PeerKey self, SwarmLimits limits, SwarmFirewall firewall) {
    this(self, limits, firewall, false);
  }

  CoreHarness(int selfByte) {
    this(key(selfByte), SwarmLimits.DEFAULT, SwarmFirewall.ALLOW_ALL);
  }

  static PeerKey key(int b) {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) b);
    return new PeerKey(k);
  }

  static byte[] topic(int b) {
    return key(b).bytes();
  }

  void join(byte[] topic) {
    joinedTopics.add(Arrays.toString(topic));
  }

  void leave(byte[] topic) {
    joinedTopics.remove(Arrays.toString(topic));
  }

  /** A harness with {@code limits} that joined {@code topic} and found peers {@code from} to {@code to - 1} on it. */
  static CoreHarness foundRange(SwarmLimits limits, byte[] topic, int from, int to) {
    CoreHarness h = new CoreHarness(key(1), limits, SwarmFirewall.ALLOW_ALL);
    h.join(topic);
    for (int p = from; p < to; p++) {
      h.found(p, topic);
    }
    return h;
  }

  void found(int peerByte, byte[] topic) {
    core.onPeer(key(peerByte).bytes(), List.of(), topic, now);
  }

  /** Advances virtual time in 10 ms steps, ticking the core when it asks. */
  void advance(long ms) {
    long end = now + ms;
    while (core.deadlineMs() <= end) {
      now = Math.max(now, core.deadlineMs());
      core.tick(now);
    }
    now = end;
  }

  FakeLink lastDial() {
    return dials.getLast();
  }

  long dialsTo(int peerByte) {
    return dials.stream().filter(d -> d.remote.equals(key(peerByte))).count();
  }

  @Override
  public Link dial(PeerInfo peer) {
    FakeLink l = new FakeLink(peer.key(), true);
    dials.add(l);
    return l;
  }

  @Override
  public void connection(Link link, PeerInfo peer) {
    connections.add(link);
  }

  @Override
  public boolean mayReplace(Link existing) {
    return replaceable.test(existing);
  }

  @Override
  public void banned(PeerInfo peer, SwarmException reason) {
    bans.add(peer);
  }
}
