package io.hyperinfer.auth;

import io.hyperinfer.contract.NetworkNames;
import io.hyperinfer.network.Role;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigException;
import io.hyperinfer.worker.Facilities;
import io.hyperinfer.worker.Worker;
import io.hyperinfer.worker.WorkerContext;
import io.hyperinfer.worker.net.PeerPolicy;
import io.hyperinfer.worker.net.PeerRef;
import java.util.HexFormat;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The Auth worker: accounts, sessions and API keys over RPC, stored in its own store, announced on
 * {@code auth.topic} (default {@value AuthSettings#DEFAULT_TOPIC}). Session tokens are signed with the network's
 * session key ({@code auth.sessionKeyFile}) or else the worker's identity key, so gateways verify them offline with
 * {@code contract}'s {@code SessionVerifier} and {@link #sessionPublicKey()}. Thread-safe.
 */
public final class AuthWorker extends Worker {
  /** The worker type in its context and config. */
  public static final String TYPE = "auth";

  private final AuthSettings explicitSettings;
  private volatile AuthSettings settings;
  private volatile KeyPair signer;

  /** Settings from the {@code auth} config section. */
  public AuthWorker(WorkerContext ctx, Config config, Facilities facilities) {
    this(ctx, config, facilities, null);
  }

  /** Explicit settings (tests, embedding); {@code null} reads them from config. */
  public AuthWorker(WorkerContext ctx, Config config, Facilities facilities, AuthSettings settings) {
    super(ctx, config, facilities);
    this.explicitSettings = settings;
  }

  @Override
  protected void validateConfig(Config cfg) {
    settings = explicitSettings != null ? explicitSettings : AuthSettings.fromConfig(cfg);
  }

  @Override
  protected void onStart() {
    AuthStore store = new AuthStore(store().bee(AuthStore.BEE));
    int pruned = store.pruneRevocations(clock().instant());
    PeerPolicy policy = peerPolicy();
    signer = SessionKeyFile.load(config()).orElse(identity());
    String signing = HexFormat.of().formatHex(signer.publicKey());
    policy.sessionKey().filter(k -> !k.equals(signing)).ifPresent(k -> {
      throw ConfigException.invalid("auth.sessionKeyFile", "the network's session key is " + k
          + " but this Auth would sign with " + signing + "; give it the operator's session.key");
    });
    Sessions sessions = new Sessions(signer, store, clock(), settings.sessionTtl(), policy::sessionKey);
    if (policy.enforced() && !settings.adminEmails().isEmpty()) {
      log.warn("auth.admins is ignored inside a network: the roster's admin keys are the administrators");
    }
    Accounts accounts = new Accounts(store, policy.enforced() ? settings.withAdminEmails(Set.of()) : settings,
        clock());
    ApiKeys keys = new ApiKeys(store, clock(), settings.maxKeysPerUser());
    Predicate<String> gateways = policy.enforced()
        ? hex -> policy.admits(PeerRef.ofHex(hex), Role.GATEWAY) : settings.gateways()::contains;
    AuthRpc rpc = new AuthRpc(accounts, sessions, keys, gateways, sessionPublicKey(), clock(), log);
    if (policy.enforced()) {
      rpc.adminsFrom(hex -> policy.admits(PeerRef.ofHex(hex), Role.ADMIN));
    }
    rpc.register(net());
    NetworkNames.trustRoster(net(), policy);
    net().announce(settings.topic()).join();
    log.info("auth serving on topic {} ({} gateways allowed, {} expired revocations pruned)", settings.topic(),
        settings.gateways().size(), pruned);
  }

  @Override
  protected void onStop() {
    net().unannounce(settings.topic()).join();
  }

  /**
   * The key that verifies this worker's session tokens: the network's session key when {@code auth.sessionKeyFile}
   * is set (so a restarted or replacement Auth keeps every session valid), else its identity public key.
   */
  public byte[] sessionPublicKey() {
    KeyPair s = signer;
    return (s != null ? s : identity()).publicKey();
  }

  /** The settings in force; available once start has validated the config. */
  public AuthSettings settings() {
    return settings;
  }
}
