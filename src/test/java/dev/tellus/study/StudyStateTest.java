package dev.tellus.study;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The study's state machine: ACTIVE and PAUSED switch freely, either may complete, COMPLETED is final. */
class StudyStateTest {

    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void activeAndPausedSwitchAndEitherMayComplete() {
        Study study = new Study(1, "s", "{}", 1, NOW);
        study.changeState(StudyState.PAUSED, NOW);
        assertThat(study.isPaused()).isTrue();
        study.changeState(StudyState.ACTIVE, NOW);
        study.changeState(StudyState.ACTIVE, NOW);
        assertThat(study.state()).isEqualTo(StudyState.ACTIVE);
        study.changeState(StudyState.PAUSED, NOW);
        study.complete(NOW);
        assertThat(study.isCompleted()).isTrue();
    }

    @Test
    void aCompletedStudyCannotBeReopenedButCompletingAgainIsANoOp() {
        Study study = new Study(1, "s", "{}", 1, NOW);
        study.complete(NOW);
        study.changeState(StudyState.COMPLETED, NOW);
        assertThatThrownBy(() -> study.changeState(StudyState.ACTIVE, NOW)).isInstanceOf(IllegalStudyTransition.class)
                .hasMessageContaining("COMPLETED").hasMessageContaining("ACTIVE");
        assertThatThrownBy(() -> study.changeState(StudyState.PAUSED, NOW)).isInstanceOf(IllegalStudyTransition.class);
        assertThat(study.isCompleted()).isTrue();
    }
}
