package io.teachtrack.api.cache;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;

/** A Lua script run by its digest, sent in full only when Redis does not know it yet (after a restart). */
public final class RedisScript {

    private final String source;
    private final ScriptOutputType output;
    private volatile String digest;

    public RedisScript(String source, ScriptOutputType output) {
        this.source = source;
        this.output = output;
    }

    public <T> T run(RedisCommands<String, String> redis, String[] keys, String... args) {
        String sha = digest;
        if (sha == null) {
            sha = digest = redis.digest(source);
        }
        try {
            return redis.evalsha(sha, output, keys, args);
        } catch (RedisNoScriptException e) {
            return redis.eval(source, output, keys, args);
        }
    }
}
