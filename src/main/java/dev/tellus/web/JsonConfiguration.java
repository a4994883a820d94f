package dev.tellus.web;

import org.springframework.boot.jackson.autoconfigure.JsonFactoryBuilderCustomizer;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;

/**
 * Strict JSON in: unknown fields, duplicate keys, trailing tokens, strings for numbers and fractions for
 * integers are all refused (so typos surface as 400s), while the bare NaN and Infinity that Python's json
 * module writes are read as numbers (a diverged run is reported, not rejected). Nesting depth, number and
 * string lengths are bounded so a hostile body cannot make parsing expensive.
 */
@Configuration(proxyBeanMethods = false)
class JsonConfiguration {

    /** Deeper JSON than this is refused; no Tellus request needs more than a few levels. */
    static final int MAX_NESTING_DEPTH = 32;
    static final int MAX_NUMBER_LENGTH = 400;
    static final int MAX_STRING_LENGTH = 100_000;

    @Bean
    JsonFactoryBuilderCustomizer boundedJson() {
        return builder -> builder.streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .maxStringLength(MAX_STRING_LENGTH)
                .build());
    }

    @Bean
    JsonMapperBuilderCustomizer strictJson() {
        return builder -> builder
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS);
    }
}
