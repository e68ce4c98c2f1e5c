package io.hyperinfer.hyperdht;

import io.hyperinfer.encoding.HostPort;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The relays that last worked for a server, by its public key ({@code index.js _relayAddressesCache}): 512 entries,
 * the least recently used dropped first, no expiry. A connect seeds its handshakes with them and so can skip the
 * lookup. Thread-safe.
 */
final class RelayAddressCache {
  /** JS's {@code Math.min(maxSize, 512)}. */
  static final int MAX_ENTRIES = 512;

  private final Map<String, List<HostPort>> entries = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, List<HostPort>> eldest) {
      return size() > MAX_ENTRIES;
    }
  };

  synchronized List<HostPort> get(byte[] publicKey) {
    return entries.get(HexFormat.of().formatHex(publicKey));
  }

  synchronized void put(byte[] publicKey, List<HostPort> relays) {
    if (!relays.isEmpty()) {
      entries.put(HexFormat.of().formatHex(publicKey), List.copyOf(relays.subList(0, Math.min(3, relays.size()))));
    }
  }

  synchronized int size() {
    return entries.size();
  }
}
