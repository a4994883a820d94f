package dev.tellus;

import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import javax.sql.DataSource;
import java.util.List;
import java.util.Optional;

/**
 * Wraps the application's DataSource in the integration tests so that every statement the application issues
 * is checked by {@link ShardingStatements}. Statements a test issues itself (set-up, assertions) are not the
 * application's and are skipped: the nearest Tellus frame on the stack tells which.
 */
@TestConfiguration(proxyBeanMethods = false)
class StatementRecorder {

    private static final StackWalker STACK = StackWalker.getInstance();

    @Bean
    static BeanPostProcessor recordStatements() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof DataSource source && !(bean instanceof net.ttddyy.dsproxy.support.ProxyDataSource)) {
                    return ProxyDataSourceBuilder.create(source).name("sharding-check").listener(new Listener()).build();
                }
                return bean;
            }
        };
    }

    private static final class Listener implements QueryExecutionListener {

        @Override
        public void beforeQuery(ExecutionInfo execution, List<QueryInfo> queries) {
        }

        @Override
        public void afterQuery(ExecutionInfo execution, List<QueryInfo> queries) {
            if (issuedByTest()) {
                return;
            }
            for (QueryInfo query : queries) {
                ShardingStatements.record(query.getQuery());
                Counting counting = COUNTING;
                if (counting != null && !Thread.currentThread().getName().startsWith("scheduling")) {
                    counting.statements.add(ShardingStatements.normalise(query.getQuery()));
                }
            }
        }
    }

    /** Statements issued by request threads (not the scheduled reaper or audit writer) while a count runs. */
    static final class Counting implements AutoCloseable {
        final java.util.Queue<String> statements = new java.util.concurrent.ConcurrentLinkedQueue<>();

        @Override
        public void close() {
            COUNTING = null;
        }
    }

    private static volatile Counting COUNTING;

    /** Starts counting the statements requests issue; one count at a time (tests that count do not run in parallel). */
    static Counting count() {
        COUNTING = new Counting();
        return COUNTING;
    }

    static boolean issuedByTest() {
        Optional<String> caller = STACK.walk(frames -> frames.map(StackWalker.StackFrame::getClassName)
                .filter(name -> name.startsWith("dev.tellus.") && !name.startsWith(StatementRecorder.class.getName()))
                .findFirst());
        return caller.map(name -> {
            String outer = name.contains("$") ? name.substring(0, name.indexOf('$')) : name;
            return outer.endsWith("IT") || outer.endsWith("Test");
        }).orElse(false);
    }
}
