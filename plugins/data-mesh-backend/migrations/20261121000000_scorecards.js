/*
 * Governance scorecard tables. One store (DataMeshStore) owns them all.
 */

// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('dm_runs', table => {
    table.comment('One evaluation of the mesh (or of one product)');
    table.increments('id');
    table
      .string('trigger', 32)
      .notNullable()
      .comment('schedule, api or catalog');
    table
      .string('status', 16)
      .notNullable()
      .comment('running, completed or failed');
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.integer('duration_ms').nullable();
    table.integer('products').nullable();
    table.integer('policies').nullable();
    table
      .integer('statements')
      .nullable()
      .comment('SQL statements the run issued');
    table.text('error').nullable();
    table.index(['started_at'], 'dm_runs_started_at_idx');
  });

  await knex.schema.createTable('dm_locks', table => {
    table.comment('Keeps two evaluations of the mesh from running at once');
    table.string('name', 64).primary();
    table.integer('run_id').notNullable();
    table.timestamp('acquired_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('dm_scorecards', table => {
    table.comment('Current level and scores of each data product');
    table.string('entity_ref', 255).primary();
    table.string('domain', 255).nullable();
    table.string('owner', 255).nullable();
    table.string('level', 64).nullable();
    table.float('score').notNullable();
    table.text('attributes').notNullable().comment('JSON: attribute -> score');
    table.integer('run_id').notNullable();
    table.timestamp('evaluated_at', { useTz: true }).notNullable();
    table.index(['domain'], 'dm_scorecards_domain_idx');
    table.index(['owner'], 'dm_scorecards_owner_idx');
  });

  await knex.schema.createTable('dm_results', table => {
    table.comment('Current result of each policy for each data product');
    table.string('entity_ref', 255).notNullable();
    table.string('policy_id', 128).notNullable();
    table.string('status', 16).notNullable();
    table.text('message').nullable();
    table
      .timestamp('since', { useTz: true })
      .notNullable()
      .comment('when the status last changed');
    table.primary(['entity_ref', 'policy_id']);
    table.index(['policy_id', 'status'], 'dm_results_policy_status_idx');
  });

  await knex.schema.createTable('dm_result_changes', table => {
    table.comment('History of policy results: only the changes of status');
    table.bigIncrements('id');
    table.string('entity_ref', 255).notNullable();
    table.string('policy_id', 128).notNullable();
    table.string('from_status', 16).nullable();
    table.string('to_status', 16).notNullable();
    table.integer('run_id').notNullable();
    table.timestamp('changed_at', { useTz: true }).notNullable();
    table.index(['entity_ref', 'changed_at'], 'dm_result_changes_entity_idx');
    table.index(['changed_at'], 'dm_result_changes_changed_at_idx');
  });

  await knex.schema.createTable('dm_daily_snapshots', table => {
    table.comment('History: level and score of each product, one row per day');
    table.string('day', 10).notNullable().comment('YYYY-MM-DD (UTC)');
    table.string('entity_ref', 255).notNullable();
    table.string('level', 64).nullable();
    table.float('score').notNullable();
    table.primary(['day', 'entity_ref']);
    table.index(['entity_ref', 'day'], 'dm_daily_snapshots_entity_idx');
  });

  await knex.schema.createTable('dm_rollups', table => {
    table.comment(
      'Scores per domain, owner group and the whole mesh, one row per day',
    );
    table.string('day', 10).notNullable();
    table.string('kind', 16).notNullable().comment('domain, owner or mesh');
    table.string('key', 255).notNullable().comment('entity ref, or "mesh"');
    table.integer('products').notNullable();
    table.float('score').notNullable().comment('average product score');
    table.text('levels').notNullable().comment('JSON: level -> products');
    table
      .text('attributes')
      .notNullable()
      .comment('JSON: attribute -> average score');
    table.primary(['day', 'kind', 'key']);
  });

  await knex.schema.createTable('dm_waivers', table => {
    table.comment('Waivers granted through the API');
    table.increments('id');
    table.string('entity_ref', 255).notNullable();
    table.string('policy_id', 128).notNullable();
    table.text('reason').notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.string('granted_by', 255).notNullable();
    table.timestamp('granted_at', { useTz: true }).notNullable();
    table.string('revoked_by', 255).nullable();
    table.timestamp('revoked_at', { useTz: true }).nullable();
    table.index(['entity_ref'], 'dm_waivers_entity_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const table of [
    'dm_waivers',
    'dm_rollups',
    'dm_daily_snapshots',
    'dm_result_changes',
    'dm_results',
    'dm_scorecards',
    'dm_locks',
    'dm_runs',
  ]) {
    await knex.schema.dropTable(table);
  }
};
