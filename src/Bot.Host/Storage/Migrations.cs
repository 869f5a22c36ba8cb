namespace Bot.Host.Storage;

/// <summary>
/// The schema, as numbered steps. A database records the last step it has in <c>PRAGMA user_version</c>;
/// opening it applies the later steps in order, each in its own transaction. Never edit a released
/// step: add a new one, here and its PostgreSQL dialect under the same number in <see cref="PostgresMigrations"/>.
/// </summary>
internal static class Migrations
{
    public static readonly IReadOnlyList<string> Steps =
    [
        // 1: quizzes, answers and review schedules.
        """
        CREATE TABLE quiz_instances (
            id            INTEGER PRIMARY KEY AUTOINCREMENT,
            kind          TEXT    NOT NULL,
            question_id   TEXT    NOT NULL,
            concept_id    TEXT    NOT NULL,
            correct_index INTEGER NOT NULL,
            choice_count  INTEGER NOT NULL,
            platform      TEXT    NOT NULL,
            workspace     TEXT    NOT NULL,
            channel       TEXT    NOT NULL,
            owner         TEXT,
            topic         TEXT,
            created_at    INTEGER NOT NULL,
            reveal_at     INTEGER
        );
        CREATE TABLE learners (
            platform     TEXT NOT NULL,
            workspace    TEXT NOT NULL,
            user_id      TEXT NOT NULL,
            display_name TEXT NOT NULL,
            PRIMARY KEY (platform, workspace, user_id)
        );
        CREATE TABLE answers (
            instance_id  INTEGER NOT NULL REFERENCES quiz_instances (id),
            platform     TEXT    NOT NULL,
            workspace    TEXT    NOT NULL,
            user_id      TEXT    NOT NULL,
            question_id  TEXT    NOT NULL,
            concept_id   TEXT    NOT NULL,
            choice       INTEGER NOT NULL,
            correct      INTEGER NOT NULL,
            answered_at  INTEGER NOT NULL,
            answered_day TEXT    NOT NULL,
            PRIMARY KEY (instance_id, platform, workspace, user_id)
        );
        CREATE INDEX answers_by_learner ON answers (platform, workspace, user_id, answered_at);
        CREATE INDEX answers_by_workspace ON answers (platform, workspace, answered_at);
        CREATE TABLE review_cards (
            platform         TEXT    NOT NULL,
            workspace        TEXT    NOT NULL,
            user_id          TEXT    NOT NULL,
            question_id      TEXT    NOT NULL,
            concept_id       TEXT    NOT NULL,
            repetitions      INTEGER NOT NULL,
            interval_days    REAL    NOT NULL,
            ease             REAL    NOT NULL,
            lapses           INTEGER NOT NULL,
            last_answered_at INTEGER NOT NULL,
            due_at           INTEGER NOT NULL,
            PRIMARY KEY (platform, workspace, user_id, question_id)
        );
        """,

        // 2: the daily quiz's posts, one row per (target, slot); the primary key is the exactly-once claim.
        """
        CREATE TABLE daily_posts (
            target          TEXT    NOT NULL,
            slot            INTEGER NOT NULL,
            question_id     TEXT    NOT NULL,
            instance_id     INTEGER REFERENCES quiz_instances (id),
            state           TEXT    NOT NULL,
            owner           TEXT    NOT NULL,
            lease_until     INTEGER NOT NULL,
            attempts        INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            last_error      TEXT,
            message_id      TEXT,
            reveal_at       INTEGER NOT NULL,
            PRIMARY KEY (target, slot)
        );
        CREATE INDEX daily_posts_by_state ON daily_posts (state, next_attempt_at);
        """,

        // 3: /explain lookups that ended unsure or found nothing, for `bot search-report`; no user, no channel.
        """
        CREATE TABLE unanswered_lookups (
            query      TEXT    NOT NULL,
            query_key  TEXT    NOT NULL,
            candidates TEXT    NOT NULL,
            outcome    TEXT    NOT NULL,
            at         INTEGER NOT NULL
        );
        CREATE INDEX unanswered_lookups_by_key ON unanswered_lookups (query_key, at);
        CREATE INDEX unanswered_lookups_by_time ON unanswered_lookups (at);
        """,
    ];
}
