package dev.tellus;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ShardingStatementsTest {

    @Test
    void statementsWithAnEqualityOnTheStudyIdPass() {
        assertThat(ShardingStatements.violation("select * from trial where study_id = ? and number = ? for update")).isNull();
        assertThat(ShardingStatements.violation("update trial t set state=? where t.study_id=? and t.number=?")).isNull();
        assertThat(ShardingStatements.violation(
                "select t1_0.number from trial t1_0 where (t1_0.number,t1_0.study_id)=(?,?)")).isNull();
        assertThat(ShardingStatements.violation(
                "insert into trial (attempt,params,state,study_id,number) values (?,?,?,?,?)")).isNull();
        assertThat(ShardingStatements.violation("delete from study where id = ?")).isNull();
    }

    @Test
    void statementsOnPerStudyTablesWithoutOneFail() {
        assertThat(ShardingStatements.violation("select * from trial where number = ?")).contains("trial");
        assertThat(ShardingStatements.violation("update intermediate_value set value = ? where study_id > ?"))
                .contains("intermediate_value");
        assertThat(ShardingStatements.violation("insert into strategy_state (format, document) values (?, ?)"))
                .contains("strategy_state");
        assertThat(ShardingStatements.violation(
                "select s.name from study s join trial t on t.study_id = s.id where t.state = 'RUNNING'"))
                .contains("trial");
    }

    @Test
    void namesAWithClauseDefinesAreNotTables() {
        assertThat(ShardingStatements.violation("""
                with recursive reported(number) as ((select number from intermediate_value where study_id = ?
                order by number limit 1) union all select (select i.number from intermediate_value i
                where i.study_id = ? and i.number > r.number order by i.number limit 1) from reported r
                where r.number is not null) select number from reported where number is not null""")).isNull();
        // The body of a WITH is still checked.
        assertThat(ShardingStatements.violation("with t as (select * from trial where number = ?) select * from t"))
                .contains("trial");
        assertThat(ShardingStatements.violation("with t as (select 1) select * from experiment"))
                .contains("not classified");
    }

    @Test
    void aTableNobodyClassifiedFails() {
        assertThat(ShardingStatements.violation("select * from experiment where id = ?")).contains("not classified");
        assertThat(ShardingStatements.violation("select * from api_key where secret_hash = ?")).isNull();
        assertThat(ShardingStatements.violation("select * from information_schema.sequences")).isNull();
        assertThat(ShardingStatements.violation(
                "select s.state from study s where s.id = ? for no key update of s")).isNull();
        assertThat(ShardingStatements.violation(
                "select t.number from trial t where t.study_id = ? and t.number = ? for update of t")).isNull();
        assertThat(ShardingStatements.violation(
                "insert into trial (study_id, number) select ?, r.number from jsonb_to_recordset(?) as r(number bigint)"))
                .isNull();
    }

    @Test
    void allowListedGlobalStatementsPass() {
        assertThat(ShardingStatements.violation("""
                select distinct study_id from trial
                where state = 'RUNNING' and lease_expires_at < ? limit ?""")).isNull();
    }
}
