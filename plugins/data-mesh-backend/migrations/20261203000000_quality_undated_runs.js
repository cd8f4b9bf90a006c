/*
 * Runs whose document carries no time of their own are dated when received;
 * they must not count as fresh data, so the store marks them.
 */

// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('dm_quality_runs', table => {
    table
      .integer('undated')
      .notNullable()
      .defaultTo(0)
      .comment('1 when dated on receipt: never a delivery of data');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('dm_quality_runs', table => {
    table.dropColumn('undated');
  });
};
