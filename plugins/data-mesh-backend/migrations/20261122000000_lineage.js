/*
 * Observed lineage from OpenLineage events: datasets and the edges between
 * them, as the events name them. Mapping to data products happens when they
 * are read, so that a changed mapping rule or a new output port address
 * applies to everything already stored.
 */

// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('dm_lineage_datasets', table => {
    table.comment('Datasets seen in OpenLineage events');
    table
      .string('dataset_key', 40)
      .primary()
      .comment('sha1 of namespace and name: both may be long');
    table.text('namespace').notNullable();
    table.text('name').notNullable();
    table.bigInteger('first_seen').notNullable().comment('epoch milliseconds');
    table.bigInteger('last_seen').notNullable().comment('epoch milliseconds');
    table
      .bigInteger('last_written')
      .nullable()
      .comment('epoch milliseconds of the newest event writing it');
  });
  await knex.schema.createTable('dm_lineage_edges', table => {
    table.comment('A run read the input dataset and wrote the output dataset');
    table.string('edge_key', 40).primary().comment('sha1 of both datasets');
    table.text('input_namespace').notNullable();
    table.text('input_name').notNullable();
    table.text('output_namespace').notNullable();
    table.text('output_name').notNullable();
    table.text('job_namespace').notNullable().comment('of the newest event');
    table.text('job_name').notNullable();
    table.bigInteger('first_seen').notNullable().comment('epoch milliseconds');
    table.bigInteger('last_seen').notNullable().comment('epoch milliseconds');
    table
      .integer('runs')
      .notNullable()
      .defaultTo(0)
      .comment('COMPLETE events (or events without a type) that showed it');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dm_lineage_edges');
  await knex.schema.dropTable('dm_lineage_datasets');
};
