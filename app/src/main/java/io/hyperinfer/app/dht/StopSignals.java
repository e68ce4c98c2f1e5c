package io.hyperinfer.app.dht;

import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT (Ctrl-C) into a stop request, so a node command closes its node and exits 0 instead of the
 * JVM's default 143/130. Where the signals cannot be handled, the JVM's default (shutdown hooks) stays.
 */
final class StopSignals {
  private StopSignals() {}

  static void install(Runnable stop) {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(new Signal(name), s -> stop.run());
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        // this platform or JVM does not let us handle it: the default exit stays
      }
    }
  }
}
