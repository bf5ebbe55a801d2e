package io.teachtrack.api.cache;

import io.lettuce.core.ScriptOutputType;

/** The cache's Lua scripts: each a step that must see and change Redis atomically. */
final class CacheScripts {

    /**
     * A generation no earlier one can equal: the server's clock in microseconds and three digits of a counter, as one
     * integer (so a write can still INCR it). A generation that disappears — Redis restarted or flushed, or the key
     * evicted — is replaced by a fresh one, never by a number an earlier generation had: values cached under the old
     * one can never be read again. The last KEYS entry is the counter.
     */
    private static final String FRESH_GENERATION = """
            local function fresh()
              local t = redis.call('TIME')
              return t[1] .. string.format('%06d', tonumber(t[2])) .. string.format('%03d', redis.call('INCR', KEYS[#KEYS]) % 1000)
            end
            """;

    /**
     * Sets the entries given in ARGV from {@code from} on as (field, version, value) triples, each only over a lower
     * version: whatever order fills and amendments arrive in, every entry ends at the newest row it was given.
     */
    private static final String MERGE = """
            local function merge(k, from)
              for i = from, #ARGV, 3 do
                local held = redis.call('HGET', k, ARGV[i])
                if not held or tonumber(string.match(held, '^%d+')) < tonumber(ARGV[i + 1]) then
                  redis.call('HSET', k, ARGV[i], ARGV[i + 1] .. ':' .. ARGV[i + 2])
                end
              end
            end
            """;

    /** The field of an entry hash that holds the view's base (entry fields never start with it). */
    static final String BASE_FIELD = "=";

    /**
     * KEYS: epoch, generation, hold, amendments, counter; ARGV: value prefix, variant, the generation's time to live
     * (ms), the value's shape ({@code s}: a string, {@code h}: an entry hash). Returns {value key, time of the last write
     * under hold ('0' if none), the scope's amendment count ('' for a string), the value (a string, or the hash's
     * fields and values) or nil} in one round trip. A caller may share a running load only if both saw the same
     * value key and amendment count: an amendment does not move the generation, so without the count a caller whose
     * write was amended into a hash since evicted could share a load from before that write.
     */
    static final RedisScript LOOKUP = new RedisScript(FRESH_GENERATION + """
            local function current(key, ttl)
              local v = redis.call('GET', key)
              if v then return v end
              v = fresh()
              if ttl then redis.call('SET', key, v, 'PX', ttl) else redis.call('SET', key, v) end
              return v
            end
            local e = current(KEYS[1], nil)
            local g = current(KEYS[2], ARGV[3])
            local k = ARGV[1] .. ':e' .. e .. ':g' .. g .. ':' .. ARGV[2]
            local amendments = ''
            local value
            if ARGV[4] == 'h' then
              amendments = current(KEYS[4], ARGV[3])
              value = redis.call('HGETALL', k)
              if #value == 0 then value = false end
            else
              value = redis.call('GET', k)
            end
            return {k, redis.call('GET', KEYS[3]) or '0', amendments, value}
            """, ScriptOutputType.MULTI);

    /**
     * KEYS: (generation, hold) pairs, then the counter; ARGV: the hold (ms), the write's time, the generation's time to
     * live (ms). A generation moves on by one, or, if it is gone, to a fresh one.
     */
    static final RedisScript INVALIDATE = new RedisScript(FRESH_GENERATION + """
            for i = 1, #KEYS - 1, 2 do
              if redis.call('EXISTS', KEYS[i]) == 1 then
                redis.call('INCR', KEYS[i])
              else
                redis.call('SET', KEYS[i], fresh(), 'PX', ARGV[3])
              end
              redis.call('SET', KEYS[i + 1], ARGV[2], 'PX', ARGV[1])
            end
            return (#KEYS - 1) / 2
            """, ScriptOutputType.INTEGER);

    /** KEYS: epoch, counter. Everything cached becomes unreachable. */
    static final RedisScript BUMP_EPOCH = new RedisScript(FRESH_GENERATION + """
            if redis.call('EXISTS', KEYS[1]) == 1 then
              return redis.call('INCR', KEYS[1])
            end
            redis.call('SET', KEYS[1], fresh())
            return 0
            """, ScriptOutputType.INTEGER);

    /**
     * KEYS: the entry hash, the scope's amendment count; ARGV: the hash's time to live (ms), the base, the amendment
     * count the loader saw before it began, then (field, version, value) triples. A load that an amendment may have
     * overtaken fills nothing (the amended hash may have been evicted since: the older load must not bring it back
     * without the write). Otherwise the fill that creates the hash sets its base and expiry, and a later one (a load
     * that ran beside it) only merges. Returns 1 when filled.
     */
    static final RedisScript FILL_ENTRIES = new RedisScript(MERGE + """
            if redis.call('GET', KEYS[2]) ~= ARGV[3] then
              return 0
            end
            if redis.call('HSETNX', KEYS[1], '=', ARGV[2]) == 1 then
              redis.call('PEXPIRE', KEYS[1], ARGV[1])
            end
            merge(KEYS[1], 4)
            return 1
            """, ScriptOutputType.INTEGER);

    /**
     * After a commit, one view's entries amended in place. KEYS: epoch, generation, hold, amendments, counter; ARGV:
     * value prefix,
     * variant, the hold (ms), the write's time, the generation's time to live (ms), epoch and generation as the writer
     * read them before its commit ("e:g"), then (field, version, value) triples. The hold is always set. The hash is
     * amended only if it exists and nothing moved the scope since the writer's reading (a drop between the commit and
     * this amendment may have been for a write this one must not undo, such as a row deleted); otherwise the scope
     * moves on, exactly as an invalidation, so a load that ran before the commit cannot fill a live hash without it.
     * Returns 1 when amended, 0 when moved on.
     */
    static final RedisScript AMEND = new RedisScript(FRESH_GENERATION + MERGE + """
            redis.call('SET', KEYS[3], ARGV[4], 'PX', ARGV[3])
            local e = redis.call('GET', KEYS[1])
            local g = redis.call('GET', KEYS[2])
            if e and g and ARGV[6] == e .. ':' .. g then
              local k = ARGV[1] .. ':e' .. e .. ':g' .. g .. ':' .. ARGV[2]
              if redis.call('EXISTS', k) == 1 then
                merge(k, 7)
                if redis.call('EXISTS', KEYS[4]) == 1 then
                  redis.call('INCR', KEYS[4])
                else
                  redis.call('SET', KEYS[4], fresh(), 'PX', ARGV[5])
                end
                return 1
              end
            end
            if g then
              redis.call('INCR', KEYS[2])
            else
              redis.call('SET', KEYS[2], fresh(), 'PX', ARGV[5])
            end
            return 0
            """, ScriptOutputType.INTEGER);

    private CacheScripts() {
    }
}
