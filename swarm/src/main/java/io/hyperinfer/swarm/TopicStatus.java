package io.hyperinfer.swarm;

/**
 * A joined topic as {@link Swarm#status} and {@link Swarm#topics} see it (the state of JS's {@code PeerDiscovery}
 * that {@code swarm.status(topic)} returns), taken on the swarm loop.
 *
 * @param topic the 32-byte topic (a copy)
 * @param server whether it is announced (some session is a server)
 * @param client whether it is looked up (some session is a client)
 * @param sessions the join sessions still open
 * @param suspended the swarm is suspended: no refresh runs until it resumes
 * @param destroyed the topic was left (a status taken while it unannounces)
 * @param refreshing an announce or lookup is running now
 * @param announced our record may be on the DHT (an announce ran and no unannounce followed yet)
 * @param refreshes the announces and lookups started so far
 * @param limit the most peers a refresh hands to the swarm (JS {@code limit}); -1: no limit
 * @param closestNodes the DHT nodes closest to the topic that the last completed query found: the next refresh starts
 *     from them, and leaving unannounces from them only (JS {@code _closestNodes})
 */
public record TopicStatus(byte[] topic, boolean server, boolean client, int sessions, boolean suspended,
    boolean destroyed, boolean refreshing, boolean announced, int refreshes, int limit, int closestNodes) {
  public TopicStatus {
    topic = topic.clone();
  }

  @Override
  public byte[] topic() {
    return topic.clone();
  }
}
