package io.hyperinfer.swarm;

/**
 * Judges a peer by its key (JS {@code new Hyperswarm({firewall})}). Unlike JS, whose hook returns true to reject,
 * this returns true to <b>accept</b>, as hyperdht's {@code ConnectionFirewall} does. A rejected key is banned. On a
 * server connection the key is the one the Noise handshake proved; before a dial it is the announced key, which the
 * handshake then proves. Called on the DHT node loop and on the swarm loop: thread-safe, must not block.
 */
@FunctionalInterface
public interface SwarmFirewall {
  SwarmFirewall ALLOW_ALL = key -> true;

  boolean allow(byte[] remotePublicKey);
}
