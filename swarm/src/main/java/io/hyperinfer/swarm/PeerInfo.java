package io.hyperinfer.swarm;

import io.hyperinfer.encoding.HostPort;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the swarm knows about one peer (JS {@code lib/peer-info.js}): its proven or announced key, the relays it
 * announced, how often connecting to it failed, and the flags the retry and priority rules read. Confined to the swarm
 * loop; a listener that receives one reads it on that loop.
 */
public final class PeerInfo {
  /** A connection shorter than this does not reset the attempt count when it ends. */
  static final long MIN_CONNECTION_MS = 15_000;
  static final int VERY_LOW = 0;
  static final int LOW = 1;
  static final int NORMAL = 2;
  static final int HIGH = 3;
  static final int VERY_HIGH = 4;

  private final PeerKey key;
  private List<HostPort> relayAddresses;
  boolean proven;
  long connectedMs = -1;
  long disconnectedMs;
  boolean banned;
  boolean explicit;
  boolean waiting;
  boolean queued;
  boolean client;
  boolean forceRelaying;
  int attempts;
  int priority = NORMAL;
  long flushTick;
  private final Set<String> seenTopics = new LinkedHashSet<>();
  private final List<byte[]> topics = new ArrayList<>();

  PeerInfo(PeerKey key, List<HostPort> relayAddresses) {
    this.key = key;
    this.relayAddresses = relayAddresses == null ? List.of() : List.copyOf(relayAddresses);
  }

  public PeerKey key() {
    return key;
  }

  public byte[] publicKey() {
    return key.bytes();
  }

  /** The relays the peer announced last (a fresher announcement always wins). */
  public List<HostPort> relayAddresses() {
    return relayAddresses;
  }

  void relayAddresses(List<HostPort> relays) {
    relayAddresses = relays == null ? List.of() : List.copyOf(relays);
  }

  public boolean banned() {
    return banned;
  }

  public boolean explicit() {
    return explicit;
  }

  /** Whether we dialed the current (or last) connection. */
  public boolean client() {
    return client;
  }

  /** Failed or short connections since the last good one. */
  public int attempts() {
    return attempts;
  }

  /** Whether dials to this peer go through the swarm's relay: a dial failed in a way no punch gets around. */
  public boolean forceRelaying() {
    return forceRelaying;
  }

  /** Whether a connection to this peer ever opened. */
  public boolean proven() {
    return proven;
  }

  /** The topics this peer was found on, in the order found (copies). */
  public List<byte[]> topics() {
    return topics.stream().map(byte[]::clone).toList();
  }

  boolean prioritized() {
    return priority >= NORMAL;
  }

  /** JS {@code _getPriority}; past 3 attempts a peer is not queued at all (JS's "tried" flag is never set). */
  int currentPriority() {
    return switch (attempts) {
      case 3 -> LOW;
      case 2 -> HIGH;
      case 1 -> VERY_HIGH;
      default -> NORMAL;
    };
  }

  void connected(long nowMs) {
    proven = true;
    connectedMs = nowMs;
  }

  void disconnected(long nowMs) {
    disconnectedMs = nowMs;
    if (connectedMs > -1) {
      if (nowMs - connectedMs >= MIN_CONNECTION_MS) {
        attempts = 0; // a connection that lasted earns a fast retry
      }
      connectedMs = -1;
    }
    attempts++;
  }

  void reset() {
    client = false;
    proven = false;
    attempts = 0;
  }

  /** Recomputes the priority; false when the peer must not be queued now. */
  boolean updatePriority() {
    if (explicit && attempts > 3) {
      attempts = 3; // an explicit peer is never given up, only demoted
    }
    if (banned || queued || attempts > 3) {
      return false;
    }
    priority = currentPriority();
    return true;
  }

  void addTopic(byte[] topic) {
    if (seenTopics.add(java.util.HexFormat.of().formatHex(topic))) {
      topics.add(topic.clone());
    }
  }

  List<byte[]> rawTopics() {
    return topics;
  }

  boolean shouldForget() {
    return !(banned || queued || explicit || waiting);
  }

  @Override
  public String toString() {
    return "PeerInfo[" + key + (banned ? ", banned" : "") + (explicit ? ", explicit" : "") + ", attempts " + attempts
        + "]";
  }
}
