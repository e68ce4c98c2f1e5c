package io.hyperinfer.dht.internal;

/**
 * A vote over how peers see this node's address (nat-sampler 1.0.1): each sample bumps a host:port entry by 2 and a
 * host-only entry by 1 among the last 32 slots. The answer is host:port when the top full entry reaches the
 * threshold, host:0 (a randomising NAT) when only the top host entry does, else nothing. Confined to the loop thread.
 */
final class NatSampler {
  private static final int SLOTS = 32;

  private static final class Sample {
    final String host;
    final int port;
    int hits = 1;

    Sample(String host, int port) {
      this.host = host;
      this.port = port;
    }
  }

  private final Sample[] samples = new Sample[SLOTS];
  private int length;
  private int top;
  private int size;
  private int threshold;
  private Sample bestFull;
  private Sample bestHost;
  private String host;
  private int port;

  /** The sampled host, or null. */
  String host() {
    return host;
  }

  /** The sampled port; 0 if unknown or randomised. */
  int port() {
    return port;
  }

  int size() {
    return size;
  }

  void add(String sampleHost, int samplePort) {
    Sample a = bump(sampleHost, samplePort, 2);
    Sample b = bump(sampleHost, 0, 1);
    if (length < SLOTS) {
      size++;
      threshold = size - (size < 4 ? 0 : size < 8 ? 1 : size < 12 ? 2 : 3);
      samples[length++] = a;
      samples[length++] = b;
      top += 2;
    } else {
      if (top == SLOTS) {
        top = 0;
      }
      samples[top].hits--;
      samples[top++] = a;
      samples[top].hits--;
      samples[top++] = b;
    }
    if (bestFull == null || bestFull.hits < a.hits) {
      bestFull = a;
    }
    if (bestHost == null || bestHost.hits < b.hits) {
      bestHost = b;
    }
    if (bestFull.hits >= threshold) {
      host = bestFull.host;
      port = bestFull.port;
    } else if (bestHost.hits >= threshold) {
      host = bestHost.host;
      port = 0;
    } else {
      host = null;
      port = 0;
    }
  }

  /** Looks back over the last four entries of the same kind (JS {@code _bump}). */
  private Sample bump(String sampleHost, int samplePort, int inc) {
    for (int i = 0; i < 4; i++) {
      int j = (top - inc - 2 * i) & (SLOTS - 1);
      if (j >= length) {
        return new Sample(sampleHost, samplePort);
      }
      Sample s = samples[j];
      if (s.port == samplePort && s.host.equals(sampleHost)) {
        s.hits++;
        return s;
      }
    }
    return new Sample(sampleHost, samplePort);
  }
}
