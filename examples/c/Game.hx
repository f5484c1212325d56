// The Haxe side of the C hosts in examples/c: a tiny game whose state lives in Haxe.
// The host calls Game.update(dt) every frame and learns about events through C
// callbacks stored in Dynamic statics (HLFFI's callback model).
class Enemy {
	public var name:String;
	public var hp:Int;

	public function new(name:String, hp:Int) {
		this.name = name;
		this.hp = hp;
	}

	public function hit(damage:Int):Bool {
		hp -= damage;
		return hp <= 0;
	}
}

class Game {
	public static var score:Int = 0;
	public static var frame:Int = 0;
	public static var enemies:Array<Enemy> = [];
	/** C callback `(name:String, points:Int) -> Dynamic`, set by the host. */
	public static var onScore:Dynamic = null;

	static function main() {
		enemies.push(new Enemy("slime", 3));
		enemies.push(new Enemy("orc", 5));
		haxe.Timer.delay(() -> enemies.push(new Enemy("dragon", 8)), 10);
	}

	/** One frame: hit the first enemy; report kills to the host. */
	public static function update(dt:Float):Int {
		frame++;
		if (enemies.length > 0 && enemies[0].hit(damage())) {
			var e = enemies.shift();
			score += points(e);
			if (onScore != null)
				onScore(e.name, score);
		}
		return enemies.length;
	}

	// Edit these while the host runs (with --watch) and rebuild: the host reloads.
	static function damage():Int {
		return 1;
	}

	static function points(e:Enemy):Int {
		return 10;
	}

	public static function status():String {
		return 'frame $frame, score $score, ${enemies.length} enemies left';
	}
}
