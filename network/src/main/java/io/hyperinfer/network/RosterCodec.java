package io.hyperinfer.network;

import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Codec;
import io.hyperinfer.encoding.DecodeException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The canonical encoding of a {@link Roster}, the bytes the operator signs:
 * <pre>
 * uint8   version (1)
 * fixed32 network key
 * uint    seq
 * uint8   flags (bit 0: a session key follows; other bits 0)
 * fixed32 session key (when flagged)
 * uint    member count (at most Roster.MAX_MEMBERS), then per member, keys strictly ascending:
 *           fixed32 key, uint8 roles (bits of Role, at least one)
 * uint    revoked count (at most Roster.MAX_REVOKED), then fixed32 keys, strictly ascending
 * </pre>
 * The decoder is hostile-input code: it accepts only the one encoding {@link #encode} writes (ascending keys, minimal
 * varints, known bits) and throws only {@link DecodeException}. Stateless and thread-safe.
 */
public final class RosterCodec implements Codec<Roster> {
  public static final RosterCodec INSTANCE = new RosterCodec();
  static final int VERSION = 1;
  private static final int FLAG_SESSION_KEY = 1;
  private static final int MEMBER_BYTES = Keys.BYTES + 1;

  private RosterCodec() {}

  @Override
  public int encodedLength(Roster r) {
    return 1 + Keys.BYTES + Buf.uintLength(r.seq()) + 1 + (r.sessionKey() == null ? 0 : Keys.BYTES)
        + Buf.uintLength(r.members().size()) + r.members().size() * MEMBER_BYTES
        + Buf.uintLength(r.revoked().size()) + r.revoked().size() * Keys.BYTES;
  }

  @Override
  public void encode(Roster r, Buf buf) {
    buf.writeUint8(VERSION);
    buf.writeBytes(Keys.bytes(r.network()));
    buf.writeUint(r.seq());
    buf.writeUint8(r.sessionKey() == null ? 0 : FLAG_SESSION_KEY);
    if (r.sessionKey() != null) {
      buf.writeBytes(Keys.bytes(r.sessionKey()));
    }
    buf.writeUint(r.members().size());
    for (Map.Entry<String, Set<Role>> m : r.members().entrySet()) {
      buf.writeBytes(Keys.bytes(m.getKey()));
      buf.writeUint8(Role.bits(m.getValue()));
    }
    buf.writeUint(r.revoked().size());
    for (String key : r.revoked()) {
      buf.writeBytes(Keys.bytes(key));
    }
  }

  @Override
  public Roster decode(Buf buf) {
    int start = buf.position();
    if (buf.readUint8() != VERSION) {
      throw DecodeException.outOfRange("roster version");
    }
    String network = Keys.hex(buf.readBytes(Keys.BYTES), "network key");
    long seq = buf.readUint();
    int flags = buf.readUint8();
    if ((flags & ~FLAG_SESSION_KEY) != 0) {
      throw DecodeException.outOfRange("roster flags");
    }
    String session = flags == FLAG_SESSION_KEY ? Keys.hex(buf.readBytes(Keys.BYTES), "session key") : null;
    int memberCount = buf.readLength(Roster.MAX_MEMBERS);
    buf.require(memberCount * MEMBER_BYTES);
    TreeMap<String, Set<Role>> members = new TreeMap<>();
    String last = "";
    for (int i = 0; i < memberCount; i++) {
      String key = ascending(last, buf.readBytes(Keys.BYTES), "member keys");
      int bits = buf.readUint8();
      if (bits == 0 || (bits & ~Role.ALL_BITS) != 0) {
        throw DecodeException.outOfRange("member roles");
      }
      members.put(key, Role.fromBits(bits));
      last = key;
    }
    int revokedCount = buf.readLength(Roster.MAX_REVOKED);
    buf.require(revokedCount * Keys.BYTES);
    TreeSet<String> revoked = new TreeSet<>();
    last = "";
    for (int i = 0; i < revokedCount; i++) {
      last = ascending(last, buf.readBytes(Keys.BYTES), "revoked keys");
      revoked.add(last);
    }
    Roster roster;
    try {
      roster = new Roster(network, seq, session, members, revoked);
    } catch (NetworkException e) {
      throw DecodeException.outOfRange("roster (" + e.getMessage() + ")");
    }
    if (buf.position() - start != encodedLength(roster)) {
      throw DecodeException.outOfRange("roster varints (not minimal)");
    }
    return roster;
  }

  private static String ascending(String last, byte[] key, String what) {
    String hex = Keys.hex(key, what);
    if (hex.compareTo(last) <= 0) {
      throw DecodeException.outOfRange(what + " order");
    }
    return hex;
  }
}
