package dev.tellus.web;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.Advisor;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.web.bind.annotation.RestController;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs a whole request again when PostgreSQL aborted its transaction for a reason that a retry fixes (a deadlock,
 * a serialisation failure, a lock timeout); a statement timeout or a lost connection is not retried here. Applied
 * once, around every controller method: controllers call services outside any transaction, so each attempt starts
 * afresh and a failed one changed nothing. What still fails after the last attempt becomes a 503 with Retry-After.
 */
@Configuration(proxyBeanMethods = false)
public class TransientRetry {

    static final int ATTEMPTS = 3;

    /** Infrastructure role: picked up by the same auto-proxying that applies @Transactional. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Advisor transientRetryAdvisor() {
        return new DefaultPointcutAdvisor(new AnnotationMatchingPointcut(RestController.class, true),
                (MethodInterceptor) TransientRetry::invoke);
    }

    static Object invoke(MethodInvocation invocation) throws Throwable {
        for (int attempt = 1; ; attempt++) {
            try {
                return ((ProxyMethodInvocation) invocation).invocableClone().proceed();
            } catch (PessimisticLockingFailureException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
                sleep(attempt);
            }
        }
    }

    private static void sleep(int attempt) {
        try {
            // Jitter, so that two transactions that collided do not collide again.
            Thread.sleep(ThreadLocalRandom.current().nextLong(5, 20L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
