package io.hyperinfer.hypercore;

import java.util.Arrays;
import java.util.List;
import org.rocksdb.ReadOptions;
import org.rocksdb.Snapshot;

/**
 * A session on one core: a live view that follows appends and truncations, or a snapshot frozen at the length it was
 * taken at. Sessions of the same core share its state; each is closed on its own. Thread-safe.
 */
public final class Hypercore implements AutoCloseable {
  private final HypercoreStore store;
  private final Core core;
  private final TreeState frozen;
  private final Snapshot snapshot;
  private final ReadOptions read;
  private final BlockEncryption encryption;
  private volatile boolean closed;

  Hypercore(HypercoreStore store, Core core, boolean snapshotted) {
    this(store, core, snapshotted, null);
  }

  private Hypercore(HypercoreStore store, Core core, boolean snapshotted, BlockEncryption encryption) {
    this.store = store;
    this.core = core;
    this.encryption = encryption;
    core.retain();
    if (snapshotted) {
      this.snapshot = core.storage.snapshot();
      this.read = new ReadOptions().setSnapshot(snapshot);
      this.frozen = core.head();
    } else {
      this.snapshot = null;
      this.read = null;
      this.frozen = null;
    }
  }

  /** The core key: the manifest hash (v11) or the public key (v10 compat). */
  public byte[] key() {
    return core.key.clone();
  }

  /** BLAKE2b of the key under the "hypercore" key: what peers announce and look up. */
  public byte[] discoveryKey() {
    return core.discoveryKey.clone();
  }

  public Manifest manifest() {
    return core.manifest;
  }

  /** Whether this session can append: the store holds the secret key and it is not a snapshot. */
  public boolean writable() {
    return core.writable() && frozen == null;
  }

  public boolean isSnapshot() {
    return frozen != null;
  }

  /** The signed head this session sees. */
  public TreeState state() {
    return frozen != null ? frozen : core.head();
  }

  public long length() {
    return state().length();
  }

  public long byteLength() {
    return state().byteLength();
  }

  public long fork() {
    return state().fork();
  }

  public byte[] treeHash() {
    return state().treeHash();
  }

  public byte[] signature() {
    return state().signature();
  }

  /** Appends blocks atomically (all or none) and returns the new length; durable once this returns. */
  public long append(List<byte[]> blocks) {
    requireWritable();
    return core.append(blocks.stream().map(byte[]::clone).toList(), encryption);
  }

  /** Appends blocks atomically and returns the new length. */
  public long append(byte[]... blocks) {
    return append(Arrays.asList(blocks));
  }

  /**
   * Block {@code index} (decrypted on an encrypted session); OUT_OF_BOUNDS past the length, BLOCK_NOT_AVAILABLE when
   * a reader has not got it yet.
   */
  public byte[] get(long index) {
    requireOpen();
    byte[] block = core.get(index, length(), read);
    return encryption == null ? block.clone() : encryption.decrypt(index, block);
  }

  /** Block {@code index} as stored and hashed: the ciphertext with its padding when the core is encrypted. */
  public byte[] getRaw(long index) {
    requireOpen();
    return core.get(index, length(), read).clone();
  }

  /** Whether block {@code index} is stored locally. */
  public boolean has(long index) {
    requireOpen();
    return index >= 0 && index < length() && core.storage.block(index, read) != null;
  }

  /** Drops every block from {@code newLength} on and starts a new fork, signed; snapshots keep their view. */
  public void truncate(long newLength) {
    requireWritable();
    core.truncate(newLength, true);
  }

  /** Another live session on the same core, with this session's encryption. */
  public Hypercore session() {
    requireOpen();
    return new Hypercore(store, core, false, encryption);
  }

  /**
   * A live session that encrypts blocks on append and decrypts them on get with hypercore's default block
   * encryption under {@code encryptionKey} (JS: {@code encryption: { key }}). Proofs carry the encrypted blocks.
   */
  public Hypercore encrypted(byte[] encryptionKey) {
    requireOpen();
    return new Hypercore(store, core, false, BlockEncryption.of(encryptionKey, core.key));
  }

  /** A session frozen at the current length: later appends and truncations do not show through. */
  public Hypercore snapshot() {
    requireOpen();
    return new Hypercore(store, core, true, encryption);
  }

  /** Proof of block {@code index} against the roots this session sees. */
  public BlockProof blockProof(long index) {
    requireOpen();
    return core.blockProof(index, state(), read);
  }

  /** Proof that moves a verifier at length {@code start} to this session's length, with its signature. */
  public UpgradeProof upgradeProof(long start) {
    requireOpen();
    return core.upgradeProof(start, state(), read);
  }

  /** Block {@code index} with the upgrade from {@code start}, sharing nodes the way hypercore's data messages do. */
  public Proof proof(long index, long start) {
    requireOpen();
    return core.proof(index, start, state(), read);
  }

  /** Checks a proof from another peer and stores what it proves; any failure throws and stores nothing. */
  public void verify(Proof proof) {
    requireOpen();
    if (frozen != null) {
      throw HypercoreException.of(HypercoreException.Code.NOT_WRITABLE, "a snapshot does not take proofs");
    }
    core.verify(proof);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (snapshot != null) {
      read.close();
      core.storage.gate().ifOpen(db -> {
        db.releaseSnapshot(snapshot);
        return null;
      });
    }
    if (core.release()) {
      store.forget(core);
    }
  }

  private void requireWritable() {
    requireOpen();
    if (!writable()) {
      throw HypercoreException.of(HypercoreException.Code.NOT_WRITABLE,
          frozen != null ? "a snapshot is read-only" : "core is read-only (no secret key)");
    }
  }

  private void requireOpen() {
    if (closed) {
      throw HypercoreException.of(HypercoreException.Code.SESSION_CLOSED, "session is closed");
    }
  }
}
