package io.hyperinfer.contract;

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

  /** The topic processors serving {@code modelId} announce. */
  public static String modelTopic(String modelId) {
    return MODEL_TOPIC_PREFIX + modelId;
  }
}
