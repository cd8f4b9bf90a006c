/*
 * Quality results pipelines post: one row per run, one per check result.
 * One store (QualityStore) owns both. Times are epoch milliseconds, so
 * SQLite and PostgreSQL compare and group them alike.
 */

// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('dm_quality_runs', table => {
    table.comment('One run of a pipeline’s checks for one data product');
    table.increments('id');
    table.string('entity_ref', 255).notNullable();
    table.string('source', 64).notNullable().comment('dbt, soda, a pipeline…');
    table.string('run_id', 255).notNullable();
    table.string('output_port', 255).nullable();
    table.bigInteger('started_at').notNullable();
    table.bigInteger('finished_at').notNullable();
    table
      .bigInteger('arrived_at')
      .notNullable()
      .comment('when the newest data arrived: lastUpdatedAt, else finished_at');
    table.bigInteger('received_at').notNullable();
    table.text('url').nullable();
    // Outcome counts, kept with the run so that trends and SLOs over a
    // month read runs, not every check result.
    table.integer('check_count').notNullable().defaultTo(0);
    table.integer('pass_count').notNullable().defaultTo(0);
    table.integer('warn_count').notNullable().defaultTo(0);
    table.integer('fail_count').notNullable().defaultTo(0);
    table.integer('error_count').notNullable().defaultTo(0);
    table
      .integer('fresh_bad_count')
      .notNullable()
      .defaultTo(0)
      .comment('failing or erroring checks of freshness');
    table.integer('completeness_count').notNullable().defaultTo(0);
    table.integer('completeness_bad').notNullable().defaultTo(0);
    table.integer('timeliness_count').notNullable().defaultTo(0);
    table.integer('timeliness_bad').notNullable().defaultTo(0);
    table.integer('availability_count').notNullable().defaultTo(0);
    table.integer('availability_bad').notNullable().defaultTo(0);
    table.unique(['entity_ref', 'source', 'run_id'], {
      indexName: 'dm_quality_runs_key_idx',
    });
    table.index(['entity_ref', 'finished_at'], 'dm_quality_runs_entity_idx');
    table.index(['finished_at'], 'dm_quality_runs_finished_idx');
  });

  await knex.schema.createTable('dm_quality_results', table => {
    table.comment('One check’s outcome in one run');
    table.integer('run_pk').notNullable().comment('dm_quality_runs.id');
    table.string('check_id', 255).notNullable();
    table.text('name').notNullable();
    table.string('status', 8).notNullable().comment('pass, warn, fail, error');
    table.string('dimension', 16).nullable();
    table.string('slo', 32).nullable();
    table.text('measured').nullable().comment('JSON: a number or text');
    table.text('threshold').nullable().comment('JSON: a number or text');
    table.text('message').nullable();
    table.text('dataset').nullable();
    table
      .bigInteger('finished_at')
      .notNullable()
      .comment('of the run, for retention');
    // Same run, same check: stored once, whatever the number of posts.
    table.primary(['run_pk', 'check_id']);
    table.index(['finished_at'], 'dm_quality_results_finished_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dm_quality_results');
  await knex.schema.dropTable('dm_quality_runs');
};
