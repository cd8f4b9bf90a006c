/*
 * Adoption history (products created from a template, pass rates per policy
 * per day), change detection, cheaper bulk writes, and waivers declared in descriptors kept next
 * to API-granted ones so that their grant, change and expiry are audited.
 */

// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('dm_scorecards', table => {
    table
      .boolean('from_template')
      .notNullable()
      .defaultTo(false)
      .comment('the descriptor names the template that created it');
    table
      .string('etag', 255)
      .nullable()
      .comment('catalog etag of the evaluated entity, to detect changes');
    table
      .string('results_digest', 64)
      .nullable()
      .comment('digest of the current results, to skip unchanged products');
  });

  // Pass rates per policy are counted over the whole table in one scan, so
  // this index only slowed down writing hundreds of thousands of results.
  await knex.schema.alterTable('dm_results', table => {
    table.dropIndex(['policy_id', 'status'], 'dm_results_policy_status_idx');
  });

  // Snapshots are read per product and upserted per product and day: one
  // key in that order serves both, where a second index doubled the size of
  // the largest table. Retention's scan by day runs once a day.
  await knex.schema.alterTable('dm_daily_snapshots', table => {
    table.dropIndex(['entity_ref', 'day'], 'dm_daily_snapshots_entity_idx');
    table.dropPrimary();
    table.primary(['entity_ref', 'day']);
  });

  await knex.schema.alterTable('dm_rollups', table => {
    table
      .integer('from_template')
      .notNullable()
      .defaultTo(0)
      .comment('products created from a template');
  });

  await knex.schema.createTable('dm_policy_daily', table => {
    table.comment('Outcome counts of each policy across the mesh, per day');
    table.string('day', 10).notNullable();
    table.string('policy_id', 128).notNullable();
    table.integer('pass').notNullable();
    table.integer('fail').notNullable();
    table.integer('waived').notNullable();
    table.integer('not_applicable').notNullable();
    table.integer('error').notNullable();
    table.primary(['day', 'policy_id']);
  });

  await knex.schema.alterTable('dm_waivers', table => {
    table
      .string('source', 16)
      .notNullable()
      .defaultTo('api')
      .comment('api, or catalog for waivers declared in the descriptor');
    table
      .timestamp('expired_at', { useTz: true })
      .nullable()
      .comment('when the expiry was noticed and audited');
    table.index(['source', 'revoked_at'], 'dm_waivers_source_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('dm_waivers', table => {
    table.dropIndex(['source', 'revoked_at'], 'dm_waivers_source_idx');
    table.dropColumn('expired_at');
    table.dropColumn('source');
  });
  await knex.schema.dropTable('dm_policy_daily');
  await knex.schema.alterTable('dm_results', table => {
    table.index(['policy_id', 'status'], 'dm_results_policy_status_idx');
  });
  await knex.schema.alterTable('dm_rollups', table => {
    table.dropColumn('from_template');
  });
  await knex.schema.alterTable('dm_daily_snapshots', table => {
    table.dropPrimary();
    table.primary(['day', 'entity_ref']);
    table.index(['entity_ref', 'day'], 'dm_daily_snapshots_entity_idx');
  });
  await knex.schema.alterTable('dm_scorecards', table => {
    table.dropColumn('results_digest');
    table.dropColumn('etag');
    table.dropColumn('from_template');
  });
};
