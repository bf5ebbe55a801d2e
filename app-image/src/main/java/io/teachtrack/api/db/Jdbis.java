package io.teachtrack.api.db;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.generic.GenericTypes;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.RowMapperFactory;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

import java.util.Optional;
import javax.sql.DataSource;

/** One Jdbi setup for both pools: any Java record maps from its snake_case columns through its constructor. */
final class Jdbis {

    private Jdbis() {
    }

    static Jdbi create(DataSource dataSource) {
        Jdbi jdbi = Jdbi.create(dataSource);
        jdbi.registerRowMapper((RowMapperFactory) (type, config) -> {
            Class<?> raw = GenericTypes.getErasedType(type);
            return raw.isRecord() ? Optional.<RowMapper<?>>of(ConstructorMapper.of(raw)) : Optional.empty();
        });
        return jdbi;
    }
}
