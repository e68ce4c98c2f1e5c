package io.hyperinfer.contract;

import io.hyperinfer.network.Role;
import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.net.PeerPolicy;

/**
 * The topics workers announce and the methods they answer: the names a client in any language uses. Topics are found
 * on the DHT under BLAKE2b-256 of their UTF-8 bytes.
 */
public final class NetworkNames {
  /** Announced by every gateway: the clients' entry point. */
  public static final String GATEWAY_TOPIC = "hyperinfer/gateway";
  /** Announced by every processor, for gateways' status polls and model listings. */
  public static final String PROCESSOR_TOPIC = "hyperinfer/processor";
  /** Announced by Auth unless configured otherwise ({@code auth.topic}). */
  public static final String AUTH_TOPIC = "hyperinfer/auth";
  /** Prefix of the topic a processor announces per model it serves. */
  public static final String MODEL_TOPIC_PREFIX = "hyperinfer/model/";

  /** The streamed inference method: gateways answer clients, processors answer gateways. */
  public static final String INFER = "infer";
  /** Models served now: a gateway answers with {@code ModelsReply}, a processor with {@code ServedModels}. */
  public static final String MODELS = "models";
  /** Embeddings: gateways answer clients, processors answer gateways ({@code EmbedRequest} -> {@code EmbedReply}). */
  public static final String EMBED = "embed";
  /** A processor's load and health ({@code ProcessorStatus}). */
  public static final String STATUS = "status";

  private NetworkNames() {}

  /**
   * Inside a network, trusts as announcers only the roster's holders of each topic's role: gateways on
   * {@link #GATEWAY_TOPIC}, Auth on {@link #AUTH_TOPIC}, processors on {@link #PROCESSOR_TOPIC} and every model topic.
   * A stranger announcing these topics is never sent a password, a prompt or a request. No-op outside a network.
   */
  public static void trustRoster(NetFacility net, PeerPolicy policy) {
    if (!policy.enforced()) {
      return;
    }
    net.trustAnnouncers(GATEWAY_TOPIC, policy.holding(Role.GATEWAY));
    net.trustAnnouncers(AUTH_TOPIC, policy.holding(Role.AUTH));
    net.trustAnnouncers(PROCESSOR_TOPIC, policy.holding(Role.PROCESSOR));
    net.trustAnnouncers(MODEL_TOPIC_PREFIX, policy.holding(Role.PROCESSOR));
  }

  /** The topic processors serving {@code modelId} announce. */
  public static String modelTopic(String modelId) {
    return MODEL_TOPIC_PREFIX + modelId;
  }
}
