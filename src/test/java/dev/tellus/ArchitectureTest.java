package dev.tellus;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The pure core (space, history, strategy, pruning, analysis) stays free of Spring, JPA/Hibernate and Jackson. */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.tellus");

    @Test
    void thePureCoreImportsNoFrameworks() {
        noClasses().that().resideInAnyPackage("dev.tellus.space..", "dev.tellus.history..", "dev.tellus.strategy..", "dev.tellus.pruning..", "dev.tellus.analysis..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework..", "jakarta.persistence..", "org.hibernate..",
                        "tools.jackson..", "com.fasterxml.jackson..", "javax.sql..", "java.sql..")
                .because("the strategy core is plain Java: deterministic, unit-tested in milliseconds, runnable without a server")
                .check(MAIN);
    }

    @Test
    void thePureCoreDoesNotReachIntoTheService() {
        noClasses().that().resideInAnyPackage("dev.tellus.space..", "dev.tellus.history..", "dev.tellus.strategy..", "dev.tellus.pruning..", "dev.tellus.analysis..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tellus.study..", "dev.tellus.trial..", "dev.tellus.web..")
                .check(MAIN);
    }
}
