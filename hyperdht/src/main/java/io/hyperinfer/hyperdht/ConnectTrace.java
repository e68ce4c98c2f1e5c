package io.hyperinfer.hyperdht;

import io.hyperinfer.encoding.HostPort;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * What one connect attempt did, phase by phase (lookup, relays, handshake, path, first byte), with the time of each
 * step since the attempt started. A failed connect carries it in its {@link HyperDhtException#trace()}, so the
 * error says where the attempt stopped instead of only that it timed out. Thread-safe.
 */
public final class ConnectTrace {
  /** The phases of a connect, in order. */
  public enum Phase {
    /** FIND_PEER for the server's record (or the seeds used instead). */
    LOOKUP,
    /** A node the handshake was sent through, and how that went. */
    RELAY,
    /** Noise message 2 arrived and was accepted (or refused). */
    HANDSHAKE,
    /** A holepunch round: what each side reported, and the punch. */
    PUNCH,
    /** The address and socket the stream was connected on. */
    PATH,
    /** The server's first secret-stream bytes arrived: the connection is open. */
    FIRST_BYTE,
    /** The attempt failed or was given up. */
    FAILED
  }

  /**
   * One step.
   *
   * @param phase the phase it belongs to
   * @param atMs milliseconds since the attempt started
   * @param detail what happened, for people
   */
  public record Step(Phase phase, long atMs, String detail) {
    @Override
    public String toString() {
      return "+" + atMs + "ms " + phase + " " + detail;
    }
  }

  /** The path a connection took. */
  public enum Path {
    /** The server answered the handshake itself; the stream goes to its node. */
    DIRECT,
    /** To the server's public address, or where its relay saw it (a server that offers no holepunch). */
    OPEN,
    /** To the server's private address on the same host or network, after a ping. */
    LAN,
    /** The server's first packet reached us (we are reachable) and the stream went back to its source. */
    SERVER_FIRST,
    /** A holepunch: the server's probe reached one of our puncher sockets, and the stream went back through it. */
    PUNCHED,
    /** Through a blind relay both sides paired with (JS {@code relayThrough}); a punch may still upgrade it. */
    RELAYED
  }

  /** Steps kept per attempt; later ones are counted, not stored. */
  static final int MAX_STEPS = 64;

  private final LongSupplier clockMs;
  private final long startMs;
  private final List<Step> steps = new ArrayList<>();
  private int dropped;
  private Path path;
  private HostPort remote;

  ConnectTrace(LongSupplier clockMs) {
    this.clockMs = clockMs;
    this.startMs = clockMs.getAsLong();
  }

  /** A trace on the monotonic clock. */
  static ConnectTrace start() {
    return new ConnectTrace(() -> System.nanoTime() / 1_000_000);
  }

  synchronized void add(Phase phase, String detail) {
    if (steps.size() >= MAX_STEPS) {
      dropped++;
      return;
    }
    steps.add(new Step(phase, clockMs.getAsLong() - startMs, detail));
  }

  synchronized void path(Path taken, HostPort to, String detail) {
    path = taken;
    remote = to;
    add(Phase.PATH, taken + " path: " + detail);
  }

  /** The path the stream took, or null before one was taken. */
  public synchronized Path path() {
    return path;
  }

  /** Where the stream was connected to (the server's address on that path), or null before a path was taken. */
  public synchronized HostPort remote() {
    return remote;
  }

  /** The steps so far, oldest first. */
  public synchronized List<Step> steps() {
    return List.copyOf(steps);
  }

  /** The furthest phase reached (LOOKUP when nothing happened yet). */
  public synchronized Phase reached() {
    Phase furthest = Phase.LOOKUP;
    for (Step s : steps) {
      if (s.phase() != Phase.FAILED && s.phase().compareTo(furthest) > 0) {
        furthest = s.phase();
      }
    }
    return furthest;
  }

  /** Whether any step of {@code phase} was recorded. */
  public synchronized boolean has(Phase phase) {
    return steps.stream().anyMatch(s -> s.phase() == phase);
  }

  @Override
  public synchronized String toString() {
    StringBuilder sb = new StringBuilder();
    for (Step s : steps) {
      sb.append(sb.isEmpty() ? "" : "; ").append(s);
    }
    if (dropped > 0) {
      sb.append("; ").append(dropped).append(" more steps");
    }
    return sb.toString();
  }
}
