package io.hyperinfer.hypercore;

/**
 * What one peer sends another to prove data (hypercore's data message without seek and hash parts): an optional
 * block proof and an optional upgrade proof for a given fork. Immutable; null parts are absent.
 */
public record Proof(long fork, BlockProof block, UpgradeProof upgrade) {
  public Proof {
    if (block == null && upgrade == null) {
      throw HypercoreException.badArgument("a proof needs a block or an upgrade");
    }
  }
}
