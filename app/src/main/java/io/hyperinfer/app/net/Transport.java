package io.hyperinfer.app.net;

import io.hyperinfer.worker.net.NetFacility;

/**
 * The launcher's one choice of transport: every worker, client and peer it runs is on the real network, the
 * Hyperswarm net facility (HyperDHT discovery, @hyperswarm/rpc over Noise-encrypted UDX), configured under
 * {@code facs.net} ({@code bootstrap}, {@code host}, {@code port}, ...). Nothing the launcher runs uses the in-memory
 * network.
 */
public final class Transport {
  private Transport() {}

  /** A new net facility; it binds and joins the network when its worker starts. */
  public static NetFacility facility() {
    throw new UnsupportedOperationException("scratch");
  }
}
